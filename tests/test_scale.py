"""A blog of any size (issue 13): the pieces that keep pages as fast with 100,000 posts as
with 1,000, checked on small data (the timings are `make bench-scale`'s job, never a test's).

The sitemap index splits its parts at a (lowered) limit; deep pages answer; the month list is
cached and follows every change, also the ones that happen by themselves (a scheduled post
going live); the stored search vector follows edits; search ranks a bounded set and shows a
snippet; a busy post's comments come in pages; the post's own comments feed; the admin's
bounded lists; bench_data's blog.
"""

import re
from datetime import timedelta
from unittest import mock

import feedparser
import pytest
import time_machine
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from blog import archive, editing, workflow
from blog.models import Post, Status, TaggedPost
from comments.models import Comment
from core import content
from tests.factories import (
    CommentFactory,
    EditorFactory,
    GuestFactory,
    LivePostFactory,
    PostFactory,
    ScheduledPostFactory,
    SubmittedPostFactory,
)
from tests.reader_world import bulk_live_posts, parse, sitemap_parts

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored search vector is PostgreSQL's"
)


def card_titles(page) -> list[str]:
    return [h.text for h in page.find_all(class_="post-card-title")]


def locations(body: str) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", body)


# --- the sitemap ----------------------------------------------------------------------------

def test_the_sitemap_index_splits_posts_into_parts_of_at_most_the_limit(client, settings,
                                                                       monkeypatch):
    monkeypatch.setattr("blog.sitemaps.LIMIT", 3)
    author = GuestFactory()
    live = bulk_live_posts(8, authors=[author], tags=[])
    draft = PostFactory(title="Nog een concept", slug="nog-een-concept", author=author)
    parts = sitemap_parts(client)

    index = locations(parts["/sitemap.xml"])
    post_parts = [url for url in index if "/sitemap-posts.xml" in url]
    # The ids of the live posts run up to the 8th: three parts of at most three.
    assert post_parts == [f"{settings.SITE_URL}/sitemap-posts.xml",
                          f"{settings.SITE_URL}/sitemap-posts.xml?p=2",
                          f"{settings.SITE_URL}/sitemap-posts.xml?p=3"]
    listed = []
    for url in post_parts:
        found = locations(parts[url.removeprefix(settings.SITE_URL)])
        assert 1 <= len(found) <= 3, url
        listed += found
    assert sorted(listed) == sorted(settings.SITE_URL + p.get_absolute_url() for p in live)
    assert draft.slug not in "".join(parts.values())
    assert client.get("/sitemap-posts.xml?p=4").status_code == 404
    assert client.get("/sitemap-posts.xml?p=twee").status_code == 404
    assert client.get("/sitemap-onbekend.xml").status_code == 404


def test_sitemap_tags_and_authors_are_split_too_and_list_only_what_has_live_posts(
        client, settings, monkeypatch):
    monkeypatch.setattr("blog.sitemaps.LIMIT", 2)
    authors = [GuestFactory() for _ in range(3)]
    tags = [Tag.objects.create(name=f"onderwerp {i}", slug=f"onderwerp-{i}") for i in range(5)]
    bulk_live_posts(5, authors=authors, tags=tags)
    PostFactory(tags=["alleen-concept"], author=GuestFactory())
    parts = sitemap_parts(client)
    tag_parts = [path for path in parts if path.startswith("/sitemap-tags.xml")]
    assert len(tag_parts) >= 3  # 6 tags, two a part (the last tag is a draft's)
    listed = [loc for path in tag_parts for loc in locations(parts[path])]
    assert sorted(listed) == sorted(f"{settings.SITE_URL}/tag/{t.slug}/" for t in tags)
    author_urls = [loc for path, body in parts.items() if path.startswith("/sitemap-authors")
                   for loc in locations(body)]
    assert sorted(author_urls) == sorted(
        settings.SITE_URL + a.profile.get_absolute_url() for a in authors)


# --- deep pages -----------------------------------------------------------------------------

def test_deep_pages_of_the_home_list_answer_and_end_in_a_404(client):
    posts = bulk_live_posts(35, authors=[GuestFactory()], tags=[])
    last = parse(client.get("/?pagina=4").content)
    assert card_titles(last) == [p.title for p in posts[30:]]
    assert last.find("a", rel="next") is None
    assert last.find("a", rel="prev").attrs["href"] == "/?pagina=3"
    assert "Pagina 4 van 4" in last.find("nav", class_="pagination").text
    assert client.get("/?pagina=5").status_code == 404


def test_deep_pages_skip_whole_months_and_load_only_their_own_rows(client):
    """Page 4 starts in November: the cached month counts say December holds 28 posts, so
    the list starts at 1 December and skips 2 rows there (not 30); the ids are chosen first
    and only the page's rows are joined and loaded. Nothing is counted."""
    amsterdam = timezone.get_default_timezone()
    start = timezone.make_aware(timezone.datetime(2010, 12, 28, 7, 0), amsterdam)
    posts = bulk_live_posts(45, authors=[GuestFactory()], tags=[], start=start)
    client.get("/")  # the month list (and with it the count) is cached from here on
    with CaptureQueriesContext(connection) as queries:
        page = parse(client.get("/?pagina=4").content)
    assert card_titles(page) == [p.title for p in posts[30:40]]
    sql = [q["sql"] for q in queries.captured_queries]
    # The page's ids (and their versions, for the card cache) start at December ...
    seek = [q for q in sql if re.search(r"IN \(SELECT .*publish_at\" < .* LIMIT 11 OFFSET 2\)", q)]
    assert len(seek) == 1, sql
    assert '"blog_post"."summary"' not in seek[0]
    # ... and only those rows are joined and loaded, by id.
    listing = [q for q in sql if '"blog_post"."summary"' in q]
    assert len(listing) == 1
    ids = re.search(r'"blog_post"\."id" IN \(([0-9, ]+)\)', listing[0]).group(1)
    assert len(ids.split(",")) == 11
    assert "COUNT(" not in " ".join(sql)


def test_deep_pages_of_a_year_seek_within_the_year(client):
    amsterdam = timezone.get_default_timezone()
    start = timezone.make_aware(timezone.datetime(2010, 3, 10, 7, 0), amsterdam)
    posts = bulk_live_posts(60, authors=[GuestFactory()], tags=[], start=start)
    in_2010 = [p for p in posts if timezone.localtime(p.publish_at).year == 2010]
    page = parse(client.get("/archief/2010/?pagina=5").content)
    assert card_titles(page) == [p.title for p in in_2010[40:50]]
    assert client.get("/archief/2010/?pagina=8").status_code == 404


def test_a_long_tag_list_counts_up_to_a_cap_and_still_pages(client, monkeypatch):
    monkeypatch.setattr("core.paging.COUNT_CAP", 5)
    tag = Tag.objects.create(name="veel", slug="veel")
    posts = bulk_live_posts(23, authors=[GuestFactory()], tags=[tag])
    first = parse(client.get("/tag/veel/").content)
    assert "Meer dan 5 berichten" in first.find(class_="meta").text
    assert card_titles(first) == [p.title for p in posts[:10]]
    pagination = first.find("nav", class_="pagination").text
    assert "Pagina 1" in pagination and "van" not in pagination
    assert first.find("a", rel="next").attrs["href"] == "/tag/veel/?pagina=2"
    third = parse(client.get("/tag/veel/?pagina=3").content)
    assert card_titles(third) == [p.title for p in posts[20:]]
    assert third.find("a", rel="next") is None
    assert client.get("/tag/veel/?pagina=4").status_code == 404


def tag_count_text(client, slug="veel") -> str:
    response = client.get(f"/tag/{slug}/")
    assert response.status_code == 200
    return parse(response.content).find(class_="meta").text


def test_a_tag_s_count_is_kept_and_follows_every_change(client):
    """Counting the live posts of a big tag is kept like the month list: the second visit
    counts nothing, and tagging, untagging, unpublishing and a scheduled post going live
    (with nothing written) show at once."""
    tag = Tag.objects.create(name="veel", slug="veel")
    now = timezone.now()
    posts = [LivePostFactory(tags=[tag]) for _ in range(3)]
    ScheduledPostFactory(publish_at=now + timedelta(hours=2), tags=[tag])
    assert "3 berichten" in tag_count_text(client)
    with CaptureQueriesContext(connection) as queries:
        assert "3 berichten" in tag_count_text(client)
    assert "COUNT(" not in " ".join(q["sql"] for q in queries.captured_queries)

    LivePostFactory().tags.add(tag)
    assert "4 berichten" in tag_count_text(client)
    posts[0].tags.remove(tag)
    assert "3 berichten" in tag_count_text(client)
    workflow.unpublish(post=posts[1], actor=EditorFactory())
    assert "2 berichten" in tag_count_text(client)
    with time_machine.travel(now + timedelta(hours=3), tick=False):
        assert "3 berichten" in tag_count_text(client)


def test_without_a_cache_a_tag_is_counted_every_time(client):
    tag = Tag.objects.create(name="veel", slug="veel")
    LivePostFactory(tags=[tag])
    with mock.patch.object(archive.cache, "get_many", side_effect=ConnectionError("weg")), \
            mock.patch.object(archive.cache, "set", side_effect=ConnectionError("weg")):
        assert "1 bericht" in tag_count_text(client)
        LivePostFactory(tags=[tag])
        assert "2 berichten" in tag_count_text(client)


def test_a_short_author_list_still_says_exactly_how_many(client):
    author = GuestFactory()
    bulk_live_posts(3, authors=[author], tags=[])
    page = client.get(author.profile.get_absolute_url()).content.decode()
    assert f"3 berichten van {author.profile.display_name}" in page


# --- the cached month list ----------------------------------------------------------------

def live_count(client) -> int:
    """How many live posts the home page says there are (from the cached month list)."""
    return client.get("/").context["paginator"].count


def test_the_month_list_is_served_from_the_cache(client):
    LivePostFactory()
    client.get("/archief/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/archief/")
    assert len(queries) == 0


def test_the_month_list_follows_publishing_unpublishing_and_deleting(client):
    editor = EditorFactory()
    first = LivePostFactory()
    assert live_count(client) == 1 and "(1 bericht)" in client.get("/archief/").content.decode()
    second = LivePostFactory()
    assert live_count(client) == 2
    workflow.unpublish(post=second, actor=editor)
    assert live_count(client) == 1 and "(1 bericht)" in client.get("/archief/").content.decode()
    first.delete()
    assert live_count(client) == 0
    assert "Er zijn nog geen berichten." in client.get("/archief/").content.decode()


def test_a_scheduled_post_shows_in_the_month_list_when_it_goes_live_without_any_write(client):
    now = timezone.now()
    LivePostFactory(publish_at=now - timedelta(days=1))
    ScheduledPostFactory(publish_at=now + timedelta(hours=2))
    assert "(1 bericht)" in client.get("/archief/").content.decode()
    assert client.get("/").context["paginator"].count == 1
    with time_machine.travel(now + timedelta(hours=3), tick=False):
        assert "(2 berichten)" in client.get("/archief/").content.decode()
        assert client.get("/").context["paginator"].count == 2


def test_without_a_cache_the_month_list_is_computed(client):
    LivePostFactory()
    with mock.patch.object(archive.cache, "get_many", side_effect=ConnectionError("weg")), \
            mock.patch.object(archive.cache, "set", side_effect=ConnectionError("weg")):
        response = client.get("/archief/")
        assert response.status_code == 200 and "(1 bericht)" in response.content.decode()
        assert client.get("/").status_code == 200


def test_a_change_committed_elsewhere_renews_the_month_list(django_capture_on_commit_callbacks):
    """The list is renewed at the commit too: a list computed meanwhile from the old
    database (another request, before this transaction committed) is not served."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        LivePostFactory()
        stale = archive.live_months()  # computed and cached before the commit
    assert stale.total == 1
    generation = archive.cache.get(archive.GENERATION_KEY)
    for callback in callbacks:
        callback()
    assert archive.cache.get(archive.GENERATION_KEY) != generation


def test_a_post_saved_by_another_process_reaches_this_one_s_home_page(client, page_cache_off):
    """The month list lives where the pages live (`caches["pages"]`: Redis, or files every
    process reads), so another worker's write reaches it: here the other process is played
    by a save this process's month list does not hear of, and the new generation that
    process would store. The
    first post of a new month is the case that showed: a list that did not know the month
    started the home page before it."""
    now = timezone.now()
    LivePostFactory(title="Vorige maand", publish_at=now - timedelta(days=40))
    assert "Vorige maand" in client.get("/").content.decode()
    with mock.patch("blog.archive.forget_live_months"):  # this process hears nothing
        LivePostFactory(title="Eerste van de maand", publish_at=now)
    caches["pages"].set(archive.GENERATION_KEY, "from-the-other-process", timeout=None)
    html = client.get("/").content.decode()
    assert "Eerste van de maand" in html and "Vorige maand" in html


# --- search -----------------------------------------------------------------------------

def found(client, query) -> tuple[list[str], object]:
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 200
    page = parse(response.content)
    return card_titles(page), page


def test_search_shows_the_words_around_the_match_marked_and_escaped(client):
    LivePostFactory(
        title="Een verslag",
        body_markdown=(
            "Eerst een hele inleiding over van alles en nog wat, zonder het woord. "
            "Toen kwam de buurtcoach langs & bleef <b>even</b> koffie drinken met de bewoners. "
            "Daarna nog veel meer tekst die er niet toe doet."
        ),
    )
    titles, page = found(client, "buurtcoach")
    assert titles == ["Een verslag"]
    snippet = page.find(class_="snippet")
    marks = snippet.find_all("mark")
    assert [m.text.lower() for m in marks] == ["buurtcoach"]
    assert "koffie drinken" in snippet.text and "&" in snippet.text
    html = client.get("/zoeken/", {"q": "buurtcoach"}).content.decode()
    assert "&amp;" in html and "<b>even" not in html


def test_search_ranks_the_better_match_first(client):
    LivePostFactory(title="Over de wijk", body_markdown="Eén keer mantelzorg, verder niets.")
    LivePostFactory(title="Mantelzorg", body_markdown="Mantelzorg en nog eens mantelzorg.")
    LivePostFactory(title="Iets anders", body_markdown="Hier staat het niet.")
    titles, _ = found(client, "mantelzorg")
    assert titles == ["Mantelzorg", "Over de wijk"]


def test_a_common_word_ranks_only_the_newest_matches_and_says_so(client, monkeypatch):
    monkeypatch.setattr("blog.search.MAX_RESULTS", 3)
    now = timezone.now()
    for days in range(5):
        LivePostFactory(title=f"Vrijwilligers {days}", publish_at=now - timedelta(days=days + 1))
    titles, page = found(client, "vrijwilligers")
    assert sorted(titles) == ["Vrijwilligers 0", "Vrijwilligers 1", "Vrijwilligers 2"]
    assert page.find(class_="search-count").text.startswith("Meer dan 3 resultaten")


@postgres_only
def test_the_stored_search_vector_follows_edits_tags_and_renames(client):
    editor = EditorFactory()
    post = LivePostFactory(title="Over de wijk", body_markdown="Een verhaal over buurtsport.")
    assert found(client, "buurtsport")[0] == ["Over de wijk"]

    post = editing.save_post(post=post, actor=editor, expected_version=post.version,
                             fields={"body_markdown": "Nu over dorpsraden."})
    assert found(client, "buurtsport")[0] == []
    assert found(client, "dorpsraad")[0] == ["Over de wijk"]

    post.tags.add("jongerenparticipatie")
    assert found(client, "jongerenparticipatie")[0] == ["Over de wijk"]
    tag = Tag.objects.get(name="jongerenparticipatie")
    tag.name = "kinderparticipatie"
    tag.save()
    assert found(client, "jongerenparticipatie")[0] == []
    assert found(client, "kinderparticipatie")[0] == ["Over de wijk"]
    post.tags.remove(tag)
    assert found(client, "kinderparticipatie")[0] == []

    workflow.unpublish(post=Post.objects.get(pk=post.pk), actor=editor)
    assert found(client, "dorpsraad")[0] == []


@postgres_only
def test_status_changes_do_not_parse_the_text_again():
    """The trigger keeps the stored document when title, intro and body are unchanged."""
    post = LivePostFactory(title="Sport in de wijk")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE blog_post SET search_vector = to_tsvector('simple', 'x') "
                       "WHERE id = %s", [post.pk])
    Post.objects.filter(pk=post.pk).update(announced_at=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM blog_post WHERE id = %s", [post.pk])
        assert cursor.fetchone()[0] == "'x':1"
    Post.objects.filter(pk=post.pk).update(title="Sport in het dorp")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM blog_post WHERE id = %s", [post.pk])
        assert "dorp" in cursor.fetchone()[0]


# --- comment pages ----------------------------------------------------------------------------

def comments_on(page) -> list[str]:
    return [a.attrs["id"] for a in page.find_all("article", class_="comment")]


def test_a_busy_post_shows_its_newest_comments_and_pages_back(client, monkeypatch):
    monkeypatch.setattr("comments.templatetags.comments.PAGE_SIZE", 5)
    post = LivePostFactory()
    start = timezone.now() - timedelta(days=5)
    made = [CommentFactory(post=post, name=f"Lezer {i}", created_at=start + timedelta(hours=i))
            for i in range(12)]
    # The newest comment answers the oldest one, which is two pages back.
    reply = CommentFactory(post=post, parent=made[0], name="Late reactie",
                           created_at=start + timedelta(hours=20))
    ordered = [*made, reply]

    first = parse(client.get(post.get_absolute_url()).content)
    assert comments_on(first) == [f"reactie-{c.pk}" for c in ordered[-5:]]
    assert "13 reacties" in first.find(id="reacties-titel").text
    late = first.find("article", id=f"reactie-{reply.pk}")
    assert "in reactie op Lezer 0" in late.text
    older = first.find("nav", class_="comment-pages").find("a", rel="next")
    assert older.attrs["href"] == "?reacties=2#reacties"

    second = parse(client.get(post.get_absolute_url() + "?reacties=2").content)
    assert comments_on(second) == [f"reactie-{c.pk}" for c in ordered[3:8]]
    newer = second.find("nav", class_="comment-pages").find("a", rel="prev")
    assert newer.attrs["href"] == post.get_absolute_url() + "#reacties"
    reply_link = second.find("a", class_="comment-reply")
    assert reply_link.attrs["href"].startswith("?reacties=2&antwoord=")

    third = parse(client.get(post.get_absolute_url() + "?reacties=3").content)
    assert comments_on(third) == [f"reactie-{c.pk}" for c in ordered[:3]]
    assert third.find("nav", class_="comment-pages").find("a", rel="next") is None
    beyond = client.get(post.get_absolute_url() + "?reacties=9").content.decode()
    assert "Op deze pagina staan geen reacties." in beyond


def test_a_reply_to_a_comment_on_an_earlier_page_gets_its_form(client, monkeypatch):
    monkeypatch.setattr("comments.templatetags.comments.PAGE_SIZE", 3)
    post = LivePostFactory()
    start = timezone.now() - timedelta(days=2)
    old = CommentFactory(post=post, name="Eerste lezer", created_at=start)
    for i in range(5):
        CommentFactory(post=post, created_at=start + timedelta(hours=i + 1))
    page = parse(client.get(post.get_absolute_url() + f"?antwoord={old.pk}").content)
    assert page.find("input", name="parent").attrs["value"] == str(old.pk)
    assert "Eerste lezer" in page.find(id="reageer").text


def test_the_reader_sees_their_own_held_comment_on_a_busy_post(client, monkeypatch):
    from tests.comment_helpers import comment_url, human_form

    monkeypatch.setattr("comments.templatetags.comments.PAGE_SIZE", 3)
    post = LivePostFactory()
    for i in range(6):
        CommentFactory(post=post, created_at=timezone.now() - timedelta(hours=10 - i))
    response = client.post(comment_url(post), human_form(name="Nieuw", email="nieuw@example.org",
                                                         body="Mijn eerste reactie."))
    assert response.status_code == 302
    held = Comment.objects.get(name="Nieuw")
    assert held.status == Comment.Status.PENDING
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'id="reactie-{held.pk}"' in page and "Alleen jij ziet haar nu." in page


def test_a_busy_post_page_stays_within_its_queries(client, monkeypatch,
                                                   django_assert_max_num_queries):
    monkeypatch.setattr("comments.templatetags.comments.PAGE_SIZE", 5)
    post = LivePostFactory()
    CommentFactory.create_batch(30, post=post)
    client.get(post.get_absolute_url())
    with django_assert_max_num_queries(5):  # post, tags, a page of comments, their count
        assert client.get(post.get_absolute_url() + "?reacties=3").status_code == 200


# --- one post's comments feed -----------------------------------------------------------------

def test_a_post_has_its_own_comments_feed(client, settings, django_assert_max_num_queries):
    post = LivePostFactory(title="Buurtsport werkt")
    other = LivePostFactory()
    start = timezone.now() - timedelta(days=1)
    CommentFactory(post=post, name="Eerst", created_at=start)
    CommentFactory(post=post, name="Daarna", created_at=start + timedelta(hours=1))
    CommentFactory(post=post, name="Wacht nog", status=Comment.Status.PENDING)
    CommentFactory(post=other, name="Elders")
    page = parse(client.get(post.get_absolute_url()).content)
    feed_url = page.find("link", rel="alternate", title="Reacties op “Buurtsport werkt” (RSS)")
    assert feed_url.attrs["href"] == post.get_absolute_url() + "reacties/feed/"

    with django_assert_max_num_queries(3):
        response = client.get(feed_url.attrs["href"])
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert [entry.author for entry in feed.entries] == ["Daarna", "Eerst"]
    assert feed.feed.title == "Reacties op “Buurtsport werkt”"
    assert feed.entries[0].link.endswith(f"{post.get_absolute_url()}#reactie-"
                                         f"{Comment.objects.get(name='Daarna').pk}")


def test_the_comments_feed_of_a_post_that_is_not_live_is_a_404(client):
    draft = PostFactory(publish_at=timezone.now() - timedelta(days=1))
    scheduled = ScheduledPostFactory()
    for post in (draft, scheduled):
        assert client.get(post.get_absolute_url() + "reacties/feed/").status_code == 404


def test_the_comments_feed_under_another_month_redirects_to_the_post_s_own(client):
    post = LivePostFactory()
    when = timezone.localtime(post.publish_at)
    wrong_month = 1 if when.month != 1 else 2
    response = client.get(f"/{when.year}/{wrong_month:02d}/{post.slug}/reacties/feed/")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url() + "reacties/feed/"


# --- the admin's long lists ---------------------------------------------------------------

def test_the_dashboard_names_ten_submitted_posts_and_counts_the_rest(editor_client):
    author = GuestFactory()
    for hours in range(13):
        SubmittedPostFactory(author=author, title=f"Ingediend {hours}",
                             submitted_at=timezone.now() - timedelta(hours=hours + 1))
    html = editor_client.get(reverse("admin:index")).content.decode()
    start = html.index('id="review-queue"')
    panel = html[start:html.index("</section>", start)]
    assert panel.count("/change/") == 10
    assert "Ingediend 12" in panel and "Ingediend 2<" not in panel  # the longest waiting
    assert '<span class="desk-count">13</span>' in panel
    assert "Alle 13 ingediende berichten" in panel


def test_the_dashboard_costs_the_same_queries_with_3_or_40_posts_waiting(editor_client):
    """The totals come with the listed rows: a long queue adds no count query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    author = GuestFactory()
    counts = []
    for total in (3, 40):
        needed = total - Post.objects.filter(status=Status.SUBMITTED).count()
        for hours in range(needed):
            SubmittedPostFactory(author=author,
                                 submitted_at=timezone.now() - timedelta(hours=hours + 1))
            PostFactory(author=author, status=Status.CHANGES_REQUESTED,
                        changes_requested_at=timezone.now() - timedelta(days=8 + hours))
        with CaptureQueriesContext(connection) as capture:
            html = editor_client.get(reverse("admin:index")).content.decode()
        counts.append(len(capture.captured_queries))
        assert f'<span class="desk-count">{total}</span>' in html
    assert counts[0] == counts[1]


def test_the_post_list_filters_offer_what_recent_posts_use(editor_client, monkeypatch):
    monkeypatch.setattr("blog.admin.posts.RECENT_POSTS", 4)
    old_author, new_author = GuestFactory(), GuestFactory()
    old = LivePostFactory(author=old_author, tags=["oude-tag"])
    for _ in range(4):
        LivePostFactory(author=new_author, tags=["nieuwe-tag"])
    url = reverse("admin:blog_post_changelist")
    html = editor_client.get(url).content.decode()
    assert "?tag=nieuwe-tag" in html and "?tag=oude-tag" not in html
    assert f"author__id__exact={new_author.pk}" in html
    assert f"author__id__exact={old_author.pk}" not in html
    # A chosen author or tag is offered (and filtered on) even when it is not recent.
    chosen = editor_client.get(url + f"?author__id__exact={old_author.pk}")
    assert [p.pk for p in chosen.context["cl"].result_list] == [old.pk]
    assert f"author__id__exact={old_author.pk}" in chosen.content.decode()
    assert [p.pk for p in editor_client.get(url + "?tag=oude-tag").context["cl"]
            .result_list] == [old.pk]


def test_admin_lists_page_beyond_the_exact_count(editor_client, monkeypatch):
    monkeypatch.setattr("core.paging.ADMIN_COUNT_CAP", 60)
    post = LivePostFactory()
    CommentFactory.create_batch(120, post=post, status=Comment.Status.APPROVED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the statistics PostgreSQL estimates from
    url = reverse("admin:comments_comment_changelist")
    first = editor_client.get(url)
    count = first.context["cl"].result_count
    assert count >= 61  # exactly counted up to the cap, then estimated (or counted)
    if connection.vendor == "sqlite":
        assert count == 120
    third = editor_client.get(url + "?p=3")
    assert third.status_code == 200
    assert len(third.context["cl"].result_list) == 20
    shown = {c.pk for page in (1, 2, 3)
             for c in editor_client.get(url + f"?p={page}").context["cl"].result_list}
    assert len(shown) == 120


# --- bench_data -------------------------------------------------------------------------------

def test_bench_data_fills_an_empty_database_with_a_realistic_blog():
    call_command("bench_data", posts=120, comments=600, seed=3, stdout=open("/dev/null", "w"))
    posts = Post.objects.all()
    assert posts.count() == 120
    statuses = set(posts.values_list("status", flat=True))
    assert {Status.APPROVED, Status.DRAFT, Status.SUBMITTED} <= statuses
    assert Post.objects.scheduled().exists() and Post.objects.live().count() > 100
    assert Comment.objects.count() == 600
    assert not Comment.objects.filter(parent__isnull=False).exclude(parent__post=F("post"))
    assert Comment.objects.filter(status=Comment.Status.SPAM).exists()
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() > 500
    assert TaggedPost.objects.count() >= 120
    sample = posts.exclude(body_markdown="").first()
    assert sample.body_html == content.render_markdown(sample.body_markdown)
    for post in posts:  # the cards' summaries, as saving each post would have stored them
        assert post.summary and post.summary == post.derive_summary(), post.pk
    with pytest.raises(CommandError):  # a database with posts is left alone
        call_command("bench_data", posts=10, comments=0)


def test_the_tag_migration_moves_post_tags_to_their_own_table():
    """Migration 0005's data step, on rows as taggit's generic table held them."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import TaggedItem

    move = import_module("blog.migrations.0005_tagged_post")
    post = LivePostFactory()
    tag = Tag.objects.create(name="verhuisd", slug="verhuisd")
    TaggedItem.objects.create(content_type=ContentType.objects.get_for_model(Post),
                              object_id=post.pk, tag=tag)
    move.move_post_tags(apps, None)
    assert not TaggedItem.objects.exists()
    assert list(post.tags.names()) == ["verhuisd"]
