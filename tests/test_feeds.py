"""RSS and Atom feeds: valid, full content, per tag/author/series, and cheap conditional GET."""

from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
import time_machine
from django.utils import timezone

from blog import workflow
from tests.factories import (
    EditorFactory,
    GuestFactory,
    LivePostFactory,
    PostFactory,
    ScheduledPostFactory,
    SeriesFactory,
)
from tests.reader_world import bulk_live_posts, stored_image

pytestmark = pytest.mark.django_db

ATOM_NS = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def posts(db):
    guest = GuestFactory(first_name="Hans", last_name="Versteegh")
    series = SeriesFactory(slug="terugblik")
    image = stored_image()
    first = LivePostFactory(
        author=guest, title="Sociaal media is Booming", series=series, tags=["media"],
        intro="Het eerste gastblog van de 11.",
        body_markdown="Lees ook [de workshop](/pagina/workshop/).\n\n![Grafiek](/media/grafiek.png)",
        featured_image=image, featured_image_alt="Een telefoon",
        publish_at=timezone.now() - timedelta(days=2),
    )
    second = LivePostFactory(title="Vrijwilligers gezocht", tags=["vrijwilligers"],
                             author=EditorFactory(first_name="Anneke", last_name="Krakers"))
    PostFactory(author=guest, title="Geheim concept", tags=["media"], series=series)
    ScheduledPostFactory(author=guest, title="Nog niet", tags=["media"], series=series)
    return {"guest": guest, "first": first, "second": second, "series": series}


def parsed(response):
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


FEEDS = [
    ("/feed/", "rss20", 2),
    ("/feed/atom/", "atom10", 2),
    ("/tag/media/feed/", "rss20", 1),
    ("/tag/media/feed/atom/", "atom10", 1),
    ("/auteurs/hans-versteegh/feed/", "rss20", 1),
    ("/auteurs/hans-versteegh/feed/atom/", "atom10", 1),
    ("/reeks/terugblik/feed/", "rss20", 1),
    ("/reeks/terugblik/feed/atom/", "atom10", 1),
]


@pytest.mark.parametrize(("url", "version", "count"), FEEDS)
def test_feeds_are_valid_and_carry_only_live_posts(client, posts, settings, url, version, count):
    response = client.get(url)
    feed = parsed(response)
    assert feed.version == version
    assert feed.feed.language == "nl"
    assert feed.feed.link.startswith(settings.SITE_URL)
    assert len(feed.entries) == count
    titles = [entry.title for entry in feed.entries]
    assert "Geheim concept" not in titles and "Nog niet" not in titles
    for entry in feed.entries:
        assert entry.link.startswith(settings.SITE_URL + "/")
        assert entry.author
        assert entry.published_parsed
        assert entry.content[0].value  # the full text, not just a summary
    # Atom's required elements, checked on the XML itself.
    if version == "atom10":
        root = ElementTree.fromstring(response.content)
        for name in ("id", "title", "updated"):
            assert root.find(ATOM_NS + name) is not None
        for entry in root.findall(ATOM_NS + "entry"):
            for name in ("id", "title", "updated", "author", "content"):
                assert entry.find(ATOM_NS + name) is not None


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_carries_the_full_post_with_absolute_links(client, posts, settings, url):
    entry = next(e for e in parsed(client.get(url)).entries
                 if e.title == "Sociaal media is Booming")
    html = entry.content[0].value
    assert "Het eerste gastblog van de 11." in html  # the editor's intro
    assert f'href="{settings.SITE_URL}/pagina/workshop/"' in html
    assert f'src="{settings.SITE_URL}/media/grafiek.png"' in html
    assert f'src="{settings.SITE_URL}{settings.MEDIA_URL}' in html  # the featured image
    assert 'alt="Een telefoon"' in html
    assert entry.summary.startswith("Het eerste gastblog")  # the excerpt
    assert [tag.term for tag in entry.tags] == ["media"]
    assert entry.author == "Hans Versteegh"


def test_feed_holds_the_twenty_newest(client):
    made = bulk_live_posts(25, authors=[GuestFactory()], tags=[])
    feed = parsed(client.get("/feed/"))
    assert [e.title for e in feed.entries] == [p.title for p in made[:20]]


def test_feeds_of_a_tag_or_author_without_live_posts_are_404(client):
    guest = GuestFactory()
    PostFactory(author=guest, tags=["geheim"])
    ScheduledPostFactory(author=guest, tags=["geheim"])
    for url in ["/tag/geheim/feed/", "/tag/geheim/feed/atom/",
                f"/auteurs/{guest.profile.slug}/feed/", "/tag/bestaat-niet/feed/"]:
        assert client.get(url).status_code == 404, url


def test_a_series_feed_exists_before_its_first_part(client):
    series = SeriesFactory()
    ScheduledPostFactory(series=series, title="Deel 1, volgende week")
    feed = parsed(client.get(f"/reeks/{series.slug}/feed/"))
    assert feed.entries == []


# --- conditional GET ------------------------------------------------------------------------

def test_an_unchanged_feed_answers_304_from_one_query(client, posts, django_assert_max_num_queries):
    first = client.get("/feed/")
    assert first["ETag"] and first["Last-Modified"]
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]

    with django_assert_max_num_queries(1):
        by_etag = client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    assert by_etag.content == b""

    by_date = client.get("/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304


def test_a_tag_feed_answers_304_too(client, posts, django_assert_max_num_queries):
    first = client.get("/tag/media/feed/atom/")
    with django_assert_max_num_queries(2):  # the tag, and the freshness query
        again = client.get("/tag/media/feed/atom/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def etag(client, url="/feed/"):
    return client.get(url)["ETag"]


def test_an_edit_changes_the_etag(client, posts):
    before = etag(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        posts["second"].title = "Vrijwilligers gezocht (bijgewerkt)"
        posts["second"].save()
        response = client.get("/feed/", HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert response["ETag"] != before
    assert b"(bijgewerkt)" in response.content


def test_unpublishing_changes_the_etag(client, posts):
    before = etag(client)
    workflow.unpublish(post=posts["first"], actor=EditorFactory())
    response = client.get("/feed/", HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert b"Sociaal media is Booming" not in response.content


def test_a_post_going_live_changes_the_etag_and_date(client, posts):
    scheduled = ScheduledPostFactory(title="Zo meteen live", publish_at=timezone.now()
                                     + timedelta(hours=1))
    first = client.get("/feed/")
    with time_machine.travel(scheduled.publish_at + timedelta(seconds=5)):
        by_etag = client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get("/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == by_date.status_code == 200
    assert b"Zo meteen live" in by_etag.content


def test_the_feed_is_advertised_on_every_reader_page(client, posts):
    for url in ["/", posts["first"].get_absolute_url(), "/trends/", "/zoeken/"]:
        body = client.get(url).content.decode()
        assert 'type="application/rss+xml"' in body and 'href="/feed/"' in body, url
        assert 'type="application/atom+xml"' in body and 'href="/feed/atom/"' in body, url
