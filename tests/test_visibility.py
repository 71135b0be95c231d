"""Visibility has one definition: live = approved and `publish_at <= now`.

Every public URL is fetched from a blog where each hidden kind of post (draft, submitted,
changes requested, rejected, scheduled, and approved without a date) shares everything a
live post has: author, tag, series, trend, month, search words. None of them may show up,
by title or by URL, and their own addresses are a 404 — for any visitor.

The one planned exception is the series schedule, which names a scheduled post (date,
title, author) the way the blog's own index post announced its series; never its address
or text.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Status
from tests.factories import (
    EditorFactory,
    GuestFactory,
    LivePostFactory,
    PageFactory,
    PostFactory,
    SeriesFactory,
    TrendFactory,
    TrendListFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = {
    "draft": {"status": Status.DRAFT},
    "submitted": {"status": Status.SUBMITTED},
    "changes_requested": {"status": Status.CHANGES_REQUESTED},
    "rejected": {"status": Status.REJECTED},
    "scheduled": {"status": Status.APPROVED, "future": True},
    "undated": {"status": Status.APPROVED, "undated": True},
}


@pytest.fixture
def world(db):
    now = timezone.now()
    past = now - timedelta(days=2)
    author = GuestFactory(first_name="Zichtbare", last_name="Schrijver")
    shadow = GuestFactory(first_name="Alleen", last_name="Concepten")  # never published
    trend_list = TrendListFactory(year=2010)
    trend = TrendFactory(trend_list=trend_list, number=1, title="Sociale media")
    series = SeriesFactory(title="De reeks", slug="de-reeks")
    live = LivePostFactory(
        author=author, title="Zichtbaar bericht", tags=["gedeeld"], series=series,
        series_position=1, trend=trend, publish_at=past,
        intro="Inleiding van het zichtbare bericht.",
        body_markdown="Een gedeeld woord: sleutelwoord.",
    )
    hidden = {}
    for n, (kind, spec) in enumerate(HIDDEN.items(), start=2):
        publish_at = None if spec.get("undated") else (
            now + timedelta(days=3) if spec.get("future") else past - timedelta(minutes=n)
        )
        hidden[kind] = PostFactory(
            author=author if n % 2 else shadow,
            title=f"Verborgen {kind} bericht",
            slug=f"verborgen-{kind}",
            tags=["gedeeld", f"alleen-{kind}"],
            series=series, series_position=n, trend=trend,
            status=spec["status"], publish_at=publish_at,
            intro=f"Inleiding {kind}.",
            body_markdown=f"Ook hier het sleutelwoord. Tekst van {kind}.",
        )
    PageFactory(title="Over", slug="over")
    return {"live": live, "hidden": hidden, "author": author, "shadow": shadow,
            "series": series}


def public_urls(world) -> list[str]:
    live, author = world["live"], world["author"]
    month = timezone.localtime(live.publish_at)
    profile = author.profile.slug
    return [
        "/", live.get_absolute_url(),
        "/tag/gedeeld/", "/tag/gedeeld/feed/", "/tag/gedeeld/feed/atom/",
        f"/auteurs/{profile}/", f"/auteurs/{profile}/feed/", f"/auteurs/{profile}/feed/atom/",
        "/archief/", f"/archief/{month.year}/", f"/archief/{month.year}/{month.month:02d}/",
        "/trends/", "/trends/2010/", "/trends/2010/1/",
        "/reeks/de-reeks/", "/reeks/de-reeks/feed/", "/reeks/de-reeks/feed/atom/",
        "/zoeken/?q=sleutelwoord", "/zoeken/?q=bericht", "/zoeken/?q=gedeeld",
        "/zoeken/?q=inleiding", "/feed/", "/feed/atom/", "/sitemap.xml", "/robots.txt",
        "/pagina/over/", "/sitemap-posts.xml", "/sitemap-tags.xml", "/sitemap-authors.xml",
        "/sitemap-archive.xml",
    ]


URL_NAMES = [
    "home", "post", "tag", "tag-feed", "tag-atom", "author", "author-feed", "author-atom",
    "archive", "archive-year", "archive-month", "trends", "trendlist", "trend",
    "series", "series-feed", "series-atom", "search-body", "search-title", "search-tag",
    "search-intro", "feed", "atom", "sitemap", "robots", "page", "sitemap-posts",
    "sitemap-tags", "sitemap-authors", "sitemap-archive",
]


@pytest.mark.parametrize("index", range(len(URL_NAMES)), ids=URL_NAMES)
def test_no_public_page_shows_a_post_that_is_not_live(client, world, index):
    url = public_urls(world)[index]
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    is_series_page = url == "/reeks/de-reeks/"
    for kind, post in world["hidden"].items():
        announced = is_series_page and kind == "scheduled"
        if not announced:
            assert post.title not in body, f"{kind} title on {url}"
        assert f"verborgen-{kind}" not in body, f"{kind} address on {url}"
        assert f"alleen-{kind}" not in body, f"{kind}'s own tag on {url}"
        assert f"Tekst van {kind}" not in body and f"Inleiding {kind}" not in body, url
    if url not in ("/archief/", "/trends/", "/robots.txt", "/pagina/over/", "/sitemap.xml",
                   "/sitemap-tags.xml", "/sitemap-authors.xml", "/sitemap-archive.xml"):
        # The page really lists posts (the live one is there), so a leak would show.
        assert world["live"].get_absolute_url() in body, url


def test_the_series_page_announces_only_the_scheduled_post(client, world):
    body = client.get("/reeks/de-reeks/").content.decode()
    assert "Verborgen scheduled bericht" in body and "verschijnt op" in body
    for kind in HIDDEN:
        if kind != "scheduled":
            assert f"Verborgen {kind} bericht" not in body


@pytest.mark.parametrize("kind", HIDDEN)
@pytest.mark.parametrize("visitor", ["anonymous", "author", "editor"])
def test_a_hidden_post_has_no_public_address(client, make_client, world, kind, visitor):
    post = world["hidden"][kind]
    reader = {"anonymous": client, "author": make_client(post.author),
              "editor": make_client(EditorFactory())}[visitor]
    # The address it would have, in every form the post view accepts.
    when = timezone.localtime(post.publish_at or post.created_at)
    for url in [post.get_absolute_url(), f"/{when.year}/{when.month}/{post.slug}/"]:
        assert reader.get(url).status_code == 404, url
    assert reader.get(f"/tag/alleen-{kind}/").status_code == 404
    assert reader.get(f"/tag/alleen-{kind}/feed/").status_code == 404


def test_an_author_with_only_hidden_posts_has_no_public_page(client, world):
    slug = world["shadow"].profile.slug
    for url in [f"/auteurs/{slug}/", f"/auteurs/{slug}/feed/", f"/auteurs/{slug}/feed/atom/"]:
        assert client.get(url).status_code == 404, url


def test_public_views_reach_posts_only_through_live():
    """The rule, in the code: no public module lists posts any other way."""
    import inspect
    import re

    from blog import feeds, search, sitemaps
    from blog.views import public

    for module in (public, feeds, sitemaps, search):
        source = inspect.getsource(module)
        # (?<!\w): Post, not TaggedPost (the tags' table).
        assert not re.search(r"(?<!\w)Post\.objects\.(all|filter|get|exclude)\(", source), module
        assert ".status" not in source.replace("Status.", ""), module


def test_counts_count_only_live_posts(client, world):
    profile = world["author"].profile
    assert "(1 bericht)" in client.get("/archief/").content.decode()
    assert "1 bericht ·" in client.get("/tag/gedeeld/").content.decode()
    assert f"1 bericht van {profile.display_name}" in client.get(
        profile.get_absolute_url()).content.decode()
    # The schedule counts what it names: the live part and the announced scheduled one.
    assert "2 delen, 1 verschenen" in client.get("/reeks/de-reeks/").content.decode()
    assert "deel 1 van 6" in client.get(world["live"].get_absolute_url()).content.decode()
