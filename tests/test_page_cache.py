"""The anonymous page cache (core/pagecache.py), through Django's test client.

What a reader would notice: a page comes from the cache only while it is still true. A
scheduled post shows at its `publish_at` with nothing written; every kind of write shows on
the pages it touches at once; nobody ever gets a page made for someone else; a cache that
fails leaves the site working. The same promises through the real nginx config are checked
in tests/test_nginx.py.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog import editing, workflow
from comments import moderation
from comments.cookies import MINE_COOKIE
from tests.comment_helpers import comment_url, human_form
from tests.conftest import clear_own_cache
from tests.factories import (
    CommentFactory,
    EditorFactory,
    GuestFactory,
    LivePostFactory,
    PageFactory,
    ScheduledPostFactory,
    SeriesFactory,
    TrendFactory,
)

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    return response


def text(response) -> str:
    return response.content.decode()


# --- what is kept, and what it costs ----------------------------------------------------------

def test_a_second_reader_gets_the_page_from_the_cache_without_a_query(client):
    post = LivePostFactory(title="Sociale media in de wijk")
    first = get(client, "/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = get(Client(), "/")
    assert len(queries) == 0
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content and post.title in text(second)
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second  # the stored headers come along


def test_the_cache_answers_if_none_match_with_a_304(client):
    LivePostFactory()
    etag = get(client, "/")["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = Client().get("/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and len(queries) == 0
    assert again["ETag"] == etag


def test_a_304_rendered_afresh_tells_a_proxy_how_long_its_copy_stays_good(client):
    """nginx revalidates an ended copy with If-None-Match; the app's 304 renews it, also when
    the app had to render the page again to know (its own copy was gone)."""
    LivePostFactory()
    etag = get(client, "/")["ETag"]
    clear_own_cache()  # the app's copy is gone (evicted, or another node's)
    again = Client().get("/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert "public" in again["Cache-Control"] and "s-maxage=1" in again["Cache-Control"]


def test_shared_pages_set_no_cookie_and_carry_no_readers_keys(client):
    post = LivePostFactory()
    for url in ["/", post.get_absolute_url(), "/feed/"]:
        response = get(client, url)
        assert not response.cookies, url
        assert 'name="csrfmiddlewaretoken" value=""' in text(response) or url == "/feed/"
    html = text(get(Client(), post.get_absolute_url()))
    assert html.count('name="form_started" value=""') == 2  # the comment and sign-up forms


def test_two_renders_of_a_page_are_byte_for_byte_the_same(client, settings):
    """Nothing per request is left in a shared page (else no ETag could ever match)."""
    settings.PAGE_CACHE = False
    post = LivePostFactory()
    CommentFactory.create_batch(3, post=post)
    for url in ["/", post.get_absolute_url(), "/feed/", "/sitemap.xml"]:
        assert get(client, url).content == get(Client(), url).content, url


def test_a_query_string_other_than_the_page_number_is_not_kept(client):
    LivePostFactory.create_batch(11)
    assert get(client, "/?pagina=2")["X-Page-Cache"] == "miss"
    assert get(client, "/?pagina=2")["X-Page-Cache"] == "hit"
    odd = get(client, "/?utm_source=nieuwsbrief")
    assert "X-Page-Cache" not in odd
    assert "s-maxage=0" in odd["Cache-Control"]


def test_head_is_answered_from_the_cache(client):
    LivePostFactory()
    get(client, "/")
    head = client.head("/")
    assert head.status_code == 200 and head["X-Page-Cache"] == "hit"


# --- the schedule -------------------------------------------------------------------------------

def test_a_scheduled_post_shows_at_its_publish_at_with_nothing_written(client, settings):
    settings.PAGE_CACHE_PROXY_SECONDS = 60
    LivePostFactory(title="Al lang online")
    soon = ScheduledPostFactory(title="Straks online",
                                publish_at=timezone.now() + timedelta(seconds=30))
    before = get(client, "/")
    assert "Straks online" not in text(before)
    # No proxy or browser may keep the page past that moment either.
    control = before["Cache-Control"]
    assert "public" in control
    assert int(control.split("s-maxage=")[1].split(",")[0]) <= 29  # nginx rounds up a second
    assert get(Client(), "/")["X-Page-Cache"] == "hit"

    with time_machine.travel(soon.publish_at + timedelta(seconds=1)):
        after = get(Client(), "/")
        assert "Straks online" in text(after)
        assert after["X-Page-Cache"] == "miss"
        # The next copy is kept again (no post is scheduled any more).
        assert get(Client(), "/")["X-Page-Cache"] == "hit"


def test_a_slow_render_leaves_a_proxy_the_time_that_is_left_when_the_page_leaves(
        client, settings, monkeypatch):
    """A proxy starts its clock when it receives the page: a render that took a busy
    machine seconds must not let a copy outlive the next publish_at by those seconds."""
    from blog.views.public import HomeView

    settings.PAGE_CACHE_PROXY_SECONDS = 60
    soon = ScheduledPostFactory(publish_at=timezone.now() + timedelta(seconds=30))
    with time_machine.travel(soon.publish_at - timedelta(seconds=30), tick=False) as clock:
        render = HomeView.get_context_data

        def slow(self, **kwargs):
            clock.shift(timedelta(seconds=20))  # the render took 20 seconds
            return render(self, **kwargs)

        monkeypatch.setattr(HomeView, "get_context_data", slow)
        control = get(client, "/")["Cache-Control"]
    # 10 seconds were left when it left, less nginx's rounding second: not the 29 from before.
    assert int(control.split("s-maxage=")[1].split(",")[0]) == 9


def test_a_post_whose_comments_close_is_not_kept_past_that_moment(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    settings.PAGE_CACHE_PROXY_SECONDS = 60
    post = LivePostFactory(publish_at=timezone.now() - timedelta(days=30) + timedelta(seconds=20))
    page = get(client, post.get_absolute_url())
    assert 'id="reactieformulier"' in text(page)
    assert int(page["Cache-Control"].split("s-maxage=")[1].split(",")[0]) <= 19
    with time_machine.travel(timezone.now() + timedelta(seconds=21)):
        assert "De reacties bij dit bericht zijn gesloten." in text(get(Client(), post.get_absolute_url()))


# --- writes show at once ------------------------------------------------------------------------

@pytest.fixture
def world(db):
    editor = EditorFactory()
    author = GuestFactory()
    trend = TrendFactory(title="Sociale media", outcome="open")
    series = SeriesFactory(title="Terugblik 2010")
    post = LivePostFactory(title="Oude titel", author=author, trend=trend, series=series,
                           series_position=1, tags=["wijkwerk"])
    comment = CommentFactory(post=post, body="Een vroege reactie.")
    return {"editor": editor, "author": author, "trend": trend, "series": series,
            "post": post, "comment": comment}


def _edit_title(w):
    post = w["post"]
    editing.save_post(post=post, actor=w["editor"], expected_version=post.version,
                      fields={"title": "Nieuwe titel"})
    return "Nieuwe titel"


def _approve_comment(w):
    held = CommentFactory(post=w["post"], body="Een reactie die moest wachten.",
                          status="pending")
    moderation.approve(comments=[held], actor=w["editor"])
    return "Een reactie die moest wachten."


def _remove_comment(w):
    moderation.remove(comments=[w["comment"]], actor=w["editor"])
    return "!Een vroege reactie."


def _add_tag(w):
    w["post"].tags.add("buurtkracht")
    return "buurtkracht"


def _rename_tag(w):
    tag = w["post"].tags.get()
    tag.name = "wijkgericht werken"
    tag.save()
    return "wijkgericht werken"


def _trend_outcome(w):
    trend = w["trend"]
    trend.outcome = "came_true"
    trend.save()
    return trend.get_outcome_display()


def _series_title(w):
    w["series"].title = "Terugblik op 2010"
    w["series"].save()
    return "Terugblik op 2010"


def _profile(w):
    profile = w["author"].profile
    profile.display_name = "Henk de Nieuwe Naam"
    profile.save()
    return "Henk de Nieuwe Naam"


def _unpublish(w):
    workflow.unpublish(post=w["post"], actor=w["editor"])
    return "!Oude titel"


WRITES = {
    "edited title": (_edit_title, lambda w: ["/", w["post"].get_absolute_url(), "/feed/"]),
    "approved comment": (_approve_comment, lambda w: [w["post"].get_absolute_url(),
                                                      "/reacties/feed/"]),
    "removed comment": (_remove_comment, lambda w: [w["post"].get_absolute_url(),
                                                    "/reacties/feed/"]),
    "tag added": (_add_tag, lambda w: ["/", w["post"].get_absolute_url(), "/feed/"]),
    "tag renamed": (_rename_tag, lambda w: ["/", w["post"].get_absolute_url(),
                                            "/tag/wijkwerk/"]),
    "trend outcome": (_trend_outcome, lambda w: [w["post"].get_absolute_url(),
                                                 w["trend"].get_absolute_url()]),
    "series title": (_series_title, lambda w: ["/", w["post"].get_absolute_url(),
                                               w["series"].get_absolute_url()]),
    "author profile": (_profile, lambda w: ["/", w["post"].get_absolute_url(),
                                            w["author"].profile.get_absolute_url()]),
    "unpublished": (_unpublish, lambda w: ["/", "/feed/", "/sitemap.xml"]),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_shows_on_every_page_it_touches_at_once(client, world, write):
    do, pages = WRITES[write]
    urls = pages(world)
    for url in urls:  # cached, and served from the cache
        get(client, url)
        assert get(Client(), url)["X-Page-Cache"] == "hit", url
    expected = do(world)
    for url in urls:
        html = text(get(Client(), url))
        if expected.startswith("!"):
            assert expected[1:] not in html, url
        else:
            assert expected in html, url


def test_a_static_page_edit_shows_at_once(client):
    page = PageFactory(title="Over ons", body_markdown="Wij zijn een blog.")
    get(client, page.get_absolute_url())
    page.body_markdown = "Wij zijn een blog over welzijnswerk."
    page.save()
    assert "over welzijnswerk" in text(get(Client(), page.get_absolute_url()))


def test_a_held_comment_or_a_login_does_not_empty_the_cache(client, world):
    url = world["post"].get_absolute_url()
    get(client, url)
    CommentFactory(post=world["post"], status="pending")
    CommentFactory(post=world["post"], status="spam")
    Client().login(username=world["author"].username, password="geheim-wachtwoord-42")
    assert get(Client(), url)["X-Page-Cache"] == "hit"


def test_feed_etags_change_when_a_posts_tags_change(client):
    post = LivePostFactory(tags=["wijkwerk"])
    before = get(client, "/feed/")
    post.tags.add("participatie")
    after = Client().get("/feed/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert b"<category>participatie</category>" in after.content


# --- nobody gets another person's page ----------------------------------------------------------

def test_a_logged_in_editor_never_gets_or_leaves_a_cached_page(client, world):
    url = world["post"].get_absolute_url()
    anonymous = get(client, url)
    editor = Client()
    editor.force_login(world["editor"])
    theirs = get(editor, url)
    assert "X-Page-Cache" not in theirs
    assert "private" in theirs["Cache-Control"] and "no-store" in theirs["Cache-Control"]
    assert 'href="/beheer/"' in text(theirs)  # their own page: the editor's menu
    again = get(Client(), url)
    assert again["X-Page-Cache"] == "hit" and again.content == anonymous.content
    assert 'href="/beheer/"' not in text(again)


def test_two_readers_interleaved_each_get_their_own_page(settings, world):
    """A reader with a held comment sees it (and only they do); the other reader never gets
    that page, and the first never gets the other's cached one."""
    settings.COMMENT_MIN_SECONDS = 0
    post = world["post"]
    url = post.get_absolute_url()
    commenter, other = Client(), Client()
    for _ in range(2):
        assert get(other, url)  # cached for anonymous readers
    posted = commenter.post(comment_url(post), human_form(body="Mijn eigen wachtende reactie."))
    assert posted.status_code == 302 and MINE_COOKIE in posted.cookies
    for _ in range(3):
        mine = get(commenter, url)
        assert "Mijn eigen wachtende reactie." in text(mine)
        assert "X-Page-Cache" not in mine and "no-store" in mine["Cache-Control"]
        shared = get(other, url)
        assert "Mijn eigen wachtende reactie." not in text(shared)
        assert shared["X-Page-Cache"] == "hit"


def test_a_page_that_sets_a_cookie_is_never_kept(client, monkeypatch):
    from blog.views import public

    LivePostFactory()
    original = public.HomeView.render_to_response

    def with_cookie(self, context, **kwargs):
        response = original(self, context, **kwargs)
        response.set_cookie("iets", "persoonlijks")
        return response

    monkeypatch.setattr(public.HomeView, "render_to_response", with_cookie)
    first = get(client, "/")
    assert "X-Page-Cache" not in first
    assert "iets" in first.cookies
    monkeypatch.undo()
    assert get(Client(), "/")["X-Page-Cache"] == "miss"


# --- a cache that fails ----------------------------------------------------------------------

def test_a_failing_cache_serves_every_page_uncached(client, monkeypatch):
    from core import pagecache

    post = LivePostFactory(title="Nog altijd te lezen")
    store = caches["pages"]

    def down(*args, **kwargs):
        raise ConnectionError("Redis is weg")

    monkeypatch.setattr(store, "get", down)
    monkeypatch.setattr(store, "set", down)
    monkeypatch.setattr(store, "add", down)
    monkeypatch.setattr(pagecache._health, "retry_at", 0.0)
    try:
        for url in ["/", post.get_absolute_url(), "/feed/"]:
            response = get(Client(), url)
            assert "X-Page-Cache" not in response
            assert "s-maxage=0" in response["Cache-Control"]  # no proxy keeps it either
        assert post.title in text(get(Client(), "/"))
        # A write while the cache is down still works (its renewal is retried later).
        post.title = "Ook na een wijziging"
        post.save()
        assert "Ook na een wijziging" in text(get(Client(), "/"))
    finally:
        pagecache._health.retry_at = 0.0
        pagecache._health.renew_pending = False
