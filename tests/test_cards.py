"""Post cards kept per version of the post (blog/cards.py), with the page cache off.

What a reader would notice: a list page that renders again shows the same cards without
loading the posts again, and every change to what a card shows (title, date, picture, tags,
the author's name, the series) is on every list at once, also when another node made it.
"""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuthorProfile, User
from blog import cards, editing, workflow
from blog.models import Post
from core import dates
from tests.factories import EditorFactory, GuestFactory, LivePostFactory, SeriesFactory
from tests.reader_world import parse, stored_image

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def card_of(page: str, title: str) -> str:
    """The text of the card headed `title` on `page`."""
    for article in parse(page).find_all("article", class_="post-card"):
        if title in article.text:
            return " ".join(article.text.split())
    raise AssertionError(f"no card for {title!r}")


@pytest.fixture
def post():
    author = GuestFactory(first_name="Anna", last_name="Jansen")
    author.profile.display_name = "Anna Jansen"
    author.profile.save()
    return LivePostFactory(title="Buurtwerk in 2010", author=author,
                           tags=["participatie", "jeugd"])


def test_a_page_that_renders_again_takes_its_cards_from_the_cache(client, post):
    LivePostFactory.create_batch(4)
    first = home(client)
    with CaptureQueriesContext(connection) as queries:
        second = home(client)
    assert second == first
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    # Only the posts' versions: no post row joined with its author, no tags.
    assert '"blog_post"."summary"' not in sql and "taggit_tag" not in sql
    assert post.title in second


def test_the_version_query_leaves_out_what_changed_since(client, post):
    """Two posts' cards are kept; one post is edited: only that one is loaded again."""
    other = LivePostFactory(title="Een ander bericht")
    home(client)
    Post.objects.get(pk=post.pk).save()  # any save touches updated_at
    with CaptureQueriesContext(connection) as queries:
        page = home(client)
    loaded = [q["sql"] for q in queries.captured_queries if '"blog_post"."summary"' in q["sql"]]
    assert len(loaded) == 1
    assert f"IN ({post.pk})" in loaded[0] and str(other.pk) not in loaded[0].split("IN (")[-1]
    assert other.title in page


def test_an_edited_title_and_summary_show_at_once(client, post):
    home(client)
    editor = EditorFactory()
    editing.save_post(post=Post.objects.get(pk=post.pk), actor=editor,
                      expected_version=post.version,
                      fields={"title": "Buurtwerk herzien", "excerpt": "Een nieuwe samenvatting."})
    page = home(client)
    assert "Buurtwerk herzien" in page and "Buurtwerk in 2010" not in page
    assert "Een nieuwe samenvatting." in card_of(page, "Buurtwerk herzien")


def test_a_new_date_from_the_workflow_shows_at_once(client, post):
    """The workflow sets `publish_at` without touching `updated_at`: the key holds both."""
    before = dates.day(post.publish_at)
    assert before in card_of(home(client), post.title)
    earlier = timezone.now() - timedelta(days=40)
    workflow.reschedule(post=post, actor=EditorFactory(), publish_at=earlier, notify=False)
    card = card_of(home(client), post.title)
    assert dates.day(earlier) in card
    assert before not in card


def test_renamed_author_tag_and_series_show_at_once(client, post):
    series = SeriesFactory(title="Terugblikken")
    Post.objects.filter(pk=post.pk).update(series=series, series_position=2)
    Post.objects.get(pk=post.pk).save()
    assert "Terugblikken (deel 2)" in card_of(home(client), post.title)

    profile = AuthorProfile.objects.get(user=post.author)
    profile.display_name = "A. Jansen-de Vries"
    profile.save()
    assert "A. Jansen-de Vries" in card_of(home(client), post.title)

    tag = post.tags.get(name="jeugd")
    tag.name = "jongeren"
    tag.save()
    card = card_of(home(client), post.title)
    assert "jongeren" in card and "jeugd" not in card

    series.title = "Blik terug"
    series.save()
    assert "Blik terug (deel 2)" in card_of(home(client), post.title)


def test_an_author_without_profile_shows_their_new_name(client):
    author = GuestFactory(first_name="Bram", last_name="Bakker")
    AuthorProfile.objects.filter(user=author).delete()
    post = LivePostFactory(author=User.objects.get(pk=author.pk), title="Zonder profiel")
    assert "Bram Bakker" in card_of(home(client), post.title)
    author = User.objects.get(pk=author.pk)
    author.last_name = "Bos"
    author.save()
    assert "Bram Bos" in card_of(home(client), post.title)
    # A login changes nothing a card shows: the cards stay.
    token = cards.generation()
    author.save(update_fields=["last_login"])
    assert cards.generation() == token


def test_a_new_picture_shows_at_once(client, post):
    home(client)
    image = stored_image("nieuw.jpg")
    post = Post.objects.get(pk=post.pk)
    post.featured_image = image
    post.featured_image_alt = "Een buurthuis"
    post.save()
    page = home(client)
    img = [i for i in parse(page).find_all("img") if i.attrs.get("alt") == "Een buurthuis"]
    assert img and img[0].attrs["src"] == image.url_for(800)


def test_a_change_on_another_node_reaches_this_one(client, post):
    """Another node renames the author: its signal renews the token in the shared store,
    which this process reads on its next list page."""
    assert "Anna Jansen" in card_of(home(client), post.title)
    AuthorProfile.objects.filter(user=post.author).update(display_name="Anna van Dijk")
    assert "Anna Jansen" in card_of(home(client), post.title)  # nothing told this node
    caches["pages"].set(cards.GENERATION_KEY, "token-of-the-other-node", timeout=None)
    assert "Anna van Dijk" in card_of(home(client), post.title)


def test_without_the_shared_store_cards_are_made_every_time(client, post, monkeypatch):
    home(client)

    def refuse(*args, **kwargs):
        raise ConnectionError("the cache does not answer")

    monkeypatch.setattr(caches["pages"], "get", refuse)
    AuthorProfile.objects.filter(user=post.author).update(display_name="Anna van Dijk")
    page = home(client)
    assert "Anna van Dijk" in card_of(page, post.title)


def test_with_the_card_cache_off_every_request_makes_its_cards(client, post, settings):
    settings.CARD_CACHE = False
    home(client)
    with CaptureQueriesContext(connection) as queries:
        home(client)
    assert any('"blog_post"."summary"' in q["sql"] for q in queries.captured_queries)


def test_a_change_made_while_the_store_is_down_is_not_lost(client, post, monkeypatch):
    """The token could not be renewed during the outage: it is renewed before the next card
    is taken from the cache, so no card from before the change is shown afterwards."""
    assert "Anna Jansen" in card_of(home(client), post.title)
    before = cards.generation()
    store = caches["pages"]

    def refuse(*args, **kwargs):
        raise ConnectionError("the cache does not answer")

    with monkeypatch.context() as outage:
        outage.setattr(store, "set", refuse)
        profile = AuthorProfile.objects.get(user=post.author)
        profile.display_name = "Anna van Dijk"
        profile.save()
    assert store.get(cards.GENERATION_KEY) == before  # the outage kept the old token
    assert "Anna van Dijk" in card_of(home(client), post.title)
    assert store.get(cards.GENERATION_KEY) != before
