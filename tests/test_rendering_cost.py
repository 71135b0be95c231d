"""What a page costs to render (issue 11): sanitising happens when a post is saved, never
while a page is served, and a list of posts does not fetch the posts' texts."""

import bleach
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from core import content
from tests.factories import LivePostFactory

pytestmark = pytest.mark.django_db


def test_the_summary_is_stored_when_the_post_is_saved():
    post = LivePostFactory(excerpt="", intro="", body_markdown="Eerste *zin* van de tekst. " * 30)
    assert post.summary.startswith("Eerste zin van de tekst.")
    assert post.summary.endswith("…") and "<" not in post.summary

    post.excerpt = "Een eigen samenvatting."
    post.save(update_fields=["excerpt"])
    assert Post.objects.get(pk=post.pk).summary == "Een eigen samenvatting."

    post.excerpt = ""
    post.intro = "De inleiding van de **redactie**."
    post.save()
    assert Post.objects.get(pk=post.pk).summary == "De inleiding van de redactie."


def refuse_sanitising(monkeypatch):
    """From here on, fail the test if anything cleans HTML (a page being served)."""

    def refuse(*args, **kwargs):
        raise AssertionError("bleach ran while serving a page")

    monkeypatch.setattr(bleach, "clean", refuse)
    monkeypatch.setattr(bleach.Cleaner, "clean", refuse)
    monkeypatch.setattr(content, "make_excerpt", refuse)
    monkeypatch.setattr(content, "strip_tags", refuse)


def test_no_page_cleans_html_while_it_is_served(client, monkeypatch):
    posts = LivePostFactory.create_batch(3, body_markdown="Een *tekst* met [een link](/x/). " * 40)
    urls = ["/", posts[0].get_absolute_url(), "/feed/", "/feed/atom/",
            f"/archief/{posts[0].publish_at:%Y}/"]
    refuse_sanitising(monkeypatch)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert posts[0].summary[:40].encode() in response.content, url


def test_page_dates_are_what_the_date_filter_gives_across_the_year():
    """core.dates prints cards' and comments' dates without the template filter; the same
    text, in summer and winter time."""
    from datetime import UTC, datetime, timedelta

    from django.template import Context, Template

    from core import dates

    template = Template('{{ d|date:"j F Y" }}|{{ d|date:"j F Y, H:i" }}|{{ d|date:"c" }}')
    for step in range(0, 400, 7):
        moment = datetime(2010, 12, 6, 6, tzinfo=UTC) + timedelta(days=step, minutes=13 * step)
        assert template.render(Context({"d": moment})) == (
            f"{dates.day(moment)}|{dates.day_and_time(moment)}|{dates.iso(moment)}")


def test_lists_do_not_fetch_the_texts_of_their_posts(client):
    LivePostFactory.create_batch(3, body_markdown="Lange tekst. " * 500)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    listing = [q["sql"] for q in queries if 'FROM "blog_post"' in q["sql"] and "LIMIT" in q["sql"]]
    assert listing, [q["sql"] for q in queries]
    for sql in listing:
        assert "body_html" not in sql and "body_markdown" not in sql and "intro_html" not in sql
