"""The caching headers of every class of page, in one table (issue 11).

- SHARED: the same page for every anonymous reader. `public`, a proxy may keep it for
  `s-maxage` seconds (bounded by the schedule), browsers ask again (`max-age=0`, feeds up
  to 300 s) with If-None-Match; an ETag; no cookie.
- PRIVATE: made for one person (logged in, a held comment of their own, a personal link, a
  form sent back, the form keys): `private, no-store`, kept by no cache.
- NOT_KEPT: public but not shared (search, an odd query string): no cache keeps it.
"""

import re

import pytest
from django.test import Client

from blog.preview import preview_url
from comments import moderation
from tests.comment_helpers import comment_url, human_form
from tests.factories import (
    PASSWORD,
    CommentFactory,
    EditorFactory,
    GuestFactory,
    InvitationFactory,
    LivePostFactory,
    PageFactory,
    PostFactory,
    SeriesFactory,
    SubscriberFactory,
    TrendFactory,
)

pytestmark = pytest.mark.django_db

SHARED, PRIVATE, NOT_KEPT = "shared", "private", "not kept"


@pytest.fixture
def world(db):
    editor = EditorFactory()
    guest = GuestFactory()
    trend = TrendFactory()
    series = SeriesFactory(slug="terugblik")
    post = LivePostFactory(author=guest, trend=trend, series=series, series_position=1,
                           tags=["wijkwerk"])
    comment = CommentFactory(post=post, notify_replies=True)
    LivePostFactory.create_batch(10, author=guest)  # a second page of posts
    return {
        "editor": editor, "guest": guest, "trend": trend, "series": series, "post": post,
        "comment": comment, "draft": PostFactory(author=guest),
        "page": PageFactory(slug="over-ons"),
        "invitation": InvitationFactory(), "subscriber": SubscriberFactory(confirmed_at=None),
    }


def anonymous(w):
    return Client()


def with_csrf_cookie(w):
    """A reader who used a form once: the CSRF cookie alone is nothing personal."""
    client = Client()
    client.get("/formulier/sleutels/?csrf=1")
    assert "csrftoken" in client.cookies
    return client


def editor(w):
    client = Client()
    assert client.login(username=w["editor"].username, password=PASSWORD)
    return client


def guest(w):
    client = Client()
    assert client.login(username=w["guest"].username, password=PASSWORD)
    return client


def commenter(w):
    """A reader whose comment waits for moderation (the signed cookie with its id)."""
    client = Client()
    posted = client.post(comment_url(w["post"]), human_form(email="nieuw@example.org"))
    assert posted.status_code == 302
    client.get(posted["Location"])  # reads (and so clears) the flash message
    return client


post_url = lambda w: w["post"].get_absolute_url()  # noqa: E731

# (what, who, how, url) → the class of its caching headers.
TABLE = [
    ("home", anonymous, "get", lambda w: "/", SHARED),
    ("home, page 2", anonymous, "get", lambda w: "/?pagina=2", SHARED),
    ("a post", anonymous, "get", post_url, SHARED),
    ("a tag", anonymous, "get", lambda w: "/tag/wijkwerk/", SHARED),
    ("an author", anonymous, "get", lambda w: w["guest"].profile.get_absolute_url(), SHARED),
    ("the archive", anonymous, "get", lambda w: "/archief/", SHARED),
    ("a year", anonymous, "get", lambda w: f"/archief/{w['post'].publish_at:%Y}/", SHARED),
    ("the trend lists", anonymous, "get", lambda w: "/trends/", SHARED),
    ("a trend list", anonymous, "get", lambda w: w["trend"].trend_list.get_absolute_url(),
     SHARED),
    ("a trend", anonymous, "get", lambda w: w["trend"].get_absolute_url(), SHARED),
    ("a series", anonymous, "get", lambda w: "/reeks/terugblik/", SHARED),
    ("a static page", anonymous, "get", lambda w: "/pagina/over-ons/", SHARED),
    ("the RSS feed", anonymous, "get", lambda w: "/feed/", SHARED),
    ("the Atom feed", anonymous, "get", lambda w: "/feed/atom/", SHARED),
    ("a tag feed", anonymous, "get", lambda w: "/tag/wijkwerk/feed/", SHARED),
    ("a series feed", anonymous, "get", lambda w: "/reeks/terugblik/feed/", SHARED),
    ("the comments feed", anonymous, "get", lambda w: "/reacties/feed/", SHARED),
    ("the sitemap", anonymous, "get", lambda w: "/sitemap.xml", SHARED),
    ("a post, CSRF cookie only", with_csrf_cookie, "get", post_url, SHARED),
    ("search", anonymous, "get", lambda w: "/zoeken/?q=welzijn", NOT_KEPT),
    ("home with a tracking parameter", anonymous, "get", lambda w: "/?utm_source=x", NOT_KEPT),
    ("home, logged-in editor", editor, "get", lambda w: "/", PRIVATE),
    ("a post, logged-in editor", editor, "get", post_url, PRIVATE),
    ("a feed, logged-in guest", guest, "get", lambda w: "/feed/", PRIVATE),
    ("a post, reader with a held comment", commenter, "get", post_url, PRIVATE),
    ("home, reader with a held comment", commenter, "get", lambda w: "/", PRIVATE),
    ("the writing desk", guest, "get", lambda w: "/schrijven/", PRIVATE),
    ("a draft in the desk", guest, "get", lambda w: f"/schrijven/{w['draft'].pk}/", PRIVATE),
    ("the desk preview", guest, "get", lambda w: f"/schrijven/{w['draft'].pk}/voorbeeld/",
     PRIVATE),
    ("a signed preview link", anonymous, "get", lambda w: preview_url(w["draft"]), PRIVATE),
    ("the admin", editor, "get", lambda w: "/beheer/", PRIVATE),
    ("an invitation link", anonymous, "get",
     lambda w: f"/uitnodiging/{w['invitation'].token}/", PRIVATE),
    ("a newsletter confirmation link", anonymous, "get",
     lambda w: f"/nieuwsbrief/bevestig/{w['subscriber'].confirm_token}/", PRIVATE),
    ("a reply-mail confirmation link", anonymous, "get",
     lambda w: f"/reacties/bevestigen/{moderation.confirm_token(w['comment'])}/", PRIVATE),
    ("the form timestamp", anonymous, "get", lambda w: "/formulier/sleutels/", PRIVATE),
    ("the form keys", anonymous, "get", lambda w: "/formulier/sleutels/?csrf=1", PRIVATE),
    ("the login page", anonymous, "get", lambda w: "/account/inloggen/", PRIVATE),
    ("a comment form sent back", anonymous, "post", lambda w: comment_url(w["post"]), PRIVATE),
    ("a sign-up sent back", anonymous, "post", lambda w: "/nieuwsbrief/", PRIVATE),
]


def directives(response) -> dict[str, str]:
    found = {}
    for part in response.get("Cache-Control", "").split(","):
        name, _sep, value = part.strip().partition("=")
        if name:
            found[name.lower()] = value
    return found


@pytest.mark.parametrize("what,who,method,url,expected", TABLE, ids=[row[0] for row in TABLE])
def test_caching_headers(world, what, who, method, url, expected):
    client = who(world)
    if method == "get":
        response = client.get(url(world))
    else:  # a form with a mistake in it: sent back to be put right
        response = client.post(url(world), {"email": "geen-adres", "body": ""})
    assert response.status_code == 200, (what, response.status_code)
    control = directives(response)

    if expected == SHARED:
        assert "public" in control and "private" not in control and "no-store" not in control
        assert 0 < int(control["s-maxage"]) <= 1, control
        assert int(control["max-age"]) <= 300
        assert response.has_header("ETag")
        assert not response.cookies, what
    elif expected == PRIVATE:
        assert "private" in control and "no-store" in control, (what, control)
        assert "public" not in control and "s-maxage" not in control
    else:
        assert "private" in control or control.get("s-maxage") == "0" or not control, control
        assert int(control.get("max-age", 0)) == 0
        assert "X-Page-Cache" not in response


def test_shared_html_pages_vary_on_the_cookie(client, world):
    """A proxy that keeps a shared page keys it on the Cookie header too."""
    for url in ["/", world["post"].get_absolute_url(), "/trends/"]:
        assert "Cookie" in client.get(url)["Vary"], url
    assert re.search(r"\bmax-age=0\b", client.get("/")["Cache-Control"])
