"""`import_wxr`: WordPress exports of other sites come in whole, once, and safely."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from accounts.models import AuthorProfile, User
from blog.models import Image, Page, Post, PostEvent, Status, TaggedPost
from comments.models import Comment
from tests.html_safety import assert_inert
from tests.test_wxr_reader import VERSIONS, with_scheme
from wordpress import importer as importer_module
from wordpress.importer import WxrImporter
from wordpress.models import LegacyRedirect, WordPressItem

FIXTURES = Path(__file__).parent / "fixtures" / "wxr"
pytestmark = pytest.mark.django_db


def run(name, **kwargs):
    path = name if isinstance(name, Path) else FIXTURES / name
    return WxrImporter(path, **kwargs).run()


def post(wp_id, site):
    return WordPressItem.objects.get(site=site, kind="post", key=str(wp_id)).post


def findings(report, name):
    return {finding.wp_id for finding in report.findings.get(name, [])}


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _ElementFinder(HTMLParser):
    """Where the first element matching (tag, attribute, value) starts and ends."""

    def __init__(self, tag, attribute=None, value=None):
        super().__init__(convert_charrefs=False)
        self.wanted = (tag, attribute, value)
        self.depth = 0
        self.start = self.end = None

    def handle_starttag(self, tag, attrs):
        wanted_tag, attribute, value = self.wanted
        if self.start is None and tag == wanted_tag and (
            attribute is None or value in (dict(attrs).get(attribute) or "").split()
        ):
            self.start, self.depth = self.getpos(), 1
        elif self.start is not None and self.end is None and tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.start is not None and self.end is None and tag not in _VOID:
            self.depth -= 1
            if self.depth == 0:
                self.end = self.getpos()


def element(html: str, tag: str, attribute=None, value=None) -> str | None:
    """The markup of the first such element in a page (None when there is none)."""
    finder = _ElementFinder(tag, attribute, value)
    finder.feed(html)
    if finder.start is None or finder.end is None:
        return None
    lines = html.splitlines(keepends=True)

    def offset(position):
        return sum(len(line) for line in lines[: position[0] - 1]) + position[1]

    end = html.index(">", offset(finder.end)) + 1
    return html[offset(finder.start):end]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, AuthorProfile, Post, Page, Comment, Image, Tag, TaggedPost,
                      LegacyRedirect, WordPressItem, PostEvent)
    }


# --- every version ------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("name", VERSIONS)
def test_a_post_comes_in_the_same_from_every_wxr_version(name, scheme, tmp_path, client):
    report = run(with_scheme(FIXTURES / name, tmp_path, scheme))
    assert report.count("post", "published") == 1 and not report.findings.get("skipped")

    imported = Post.objects.get()
    assert imported.title == "Vrijwilligers in de buurt"
    assert imported.slug == "vrijwilligers-in-de-buurt"
    assert imported.publish_at == datetime(2009, 10, 5, 8, 0, tzinfo=UTC)
    assert imported.is_live
    assert imported.body_html.startswith(
        "<p>Zonder vrijwilligers geen buurthuis.<br>\nDat weet iedereen.</p>")
    assert "<ul>\n<li>koffie schenken</li>" in imported.body_html
    assert imported.body_markdown == ""
    # Categories become tags; WordPress's default category and post formats do not.
    assert sorted(imported.tags.names()) == ["Buurtwerk", "vrijwilligers"]

    author = imported.author
    assert author.username == "marieke" and not author.is_staff
    assert not author.has_usable_password()
    assert author.profile.display_name in {"marieke", "Marieke Jansen"}

    first, reply = imported.comments.order_by("created_at")
    assert (first.name, first.url, first.status) == ("Kees", "http://kees.example.org",
                                                     Comment.Status.APPROVED)
    assert reply.parent == first and reply.body == "Dank je, Kees."
    assert reply.is_author_reply == (name == "version-1.2.wxr")  # only 1.2 carries user ids

    response = client.get("/2009/10/vrijwilligers-in-de-buurt/")
    assert response.status_code == 200  # the old permalink is also the new address here
    response = client.get("/?p=7")
    assert response.status_code == 301 and response["Location"] == imported.get_absolute_url()


# --- statuses -----------------------------------------------------------------------------

STATUS_SITE = "status.example.org"


@pytest.mark.parametrize("wp_id, status, when, live", [
    (201, Status.APPROVED, datetime(2023, 6, 1, 7, 0, tzinfo=UTC), True),
    (202, Status.APPROVED, datetime(2099, 6, 1, 5, 0, tzinfo=UTC), False),
    (203, Status.DRAFT, None, False),
    (204, Status.SUBMITTED, None, False),
    (205, Status.DRAFT, None, False),  # private: not public
    (206, Status.DRAFT, None, False),  # password-protected: not public
    (214, Status.APPROVED, datetime(2012, 3, 1, 6, 0, tzinfo=UTC), True),  # missed schedule
])
def test_wordpress_statuses_map_to_the_workflow(wp_id, status, when, live):
    run("statuses.wxr")
    imported = post(wp_id, STATUS_SITE)
    assert (imported.status, imported.publish_at, imported.is_live) == (status, when, live)
    event = imported.events.get()
    assert event.kind == PostEvent.Kind.IMPORT and event.to_status == status
    assert STATUS_SITE in event.note and str(wp_id) in event.note


def test_old_published_posts_are_not_announced_again_but_scheduled_ones_will_be():
    run("statuses.wxr")
    assert post(201, STATUS_SITE).announced_at == post(201, STATUS_SITE).publish_at
    assert post(202, STATUS_SITE).announced_at is None


def test_a_draft_without_gmt_date_keeps_its_local_amsterdam_time():
    run("statuses.wxr")
    # 2023-01-15 10:00 in Amsterdam (winter, UTC+1) and 2023-02-01 10:00.
    assert post(215, STATUS_SITE).created_at == datetime(2023, 1, 15, 9, 0, tzinfo=UTC)
    assert post(203, STATUS_SITE).created_at == datetime(2023, 2, 1, 9, 0, tzinfo=UTC)


def test_the_report_names_hidden_sticky_and_skipped_items():
    report = run("statuses.wxr")
    assert findings(report, "protected") == {"206"}
    assert findings(report, "private") == {"205"}
    assert findings(report, "sticky") == {"201"}
    assert findings(report, "missed_schedule") == {"214"}
    assert findings(report, "skipped") == {"207", "208", "213"}
    assert report.ignored_types == {"nav_menu_item": 1, "revision": 1}
    assert report.created[("post", "published")] == 2
    assert report.created[("post", "scheduled")] == 1
    assert report.created[("post", "hidden")] == 2
    assert Post.objects.count() == 8
    assert not Post.objects.filter(title__in=["Weggegooid", "Automatisch concept", "Home",
                                              "Wollen sokken"]).exists()


def test_pages_become_static_pages_and_only_published_ones_show(client):
    run("statuses.wxr")
    about = Page.objects.get(title="Over ons")
    assert about.is_published and about.slug == "over-ons"
    assert client.get("/pagina/over-ons/").status_code == 200
    half = Page.objects.get(title="Halve pagina")
    assert not half.is_published
    assert client.get(f"/pagina/{half.slug}/").status_code == 404


def test_closed_comments_stay_closed():
    run("statuses.wxr")
    assert not post(201, STATUS_SITE).allow_comments
    assert post(202, STATUS_SITE).allow_comments


def test_the_command_prints_counts_per_type_and_status():
    out, err = StringIO(), StringIO()
    call_command("import_wxr", str(FIXTURES / "statuses.wxr"), stdout=out, stderr=err)
    text = out.getvalue()
    assert "Berichten: 8 nieuw (2 gepubliceerd, 1 ingepland, 2 concept, 1 ingediend, " \
           "2 niet openbaar)" in text
    assert "Pagina's: 2 nieuw (1 gepubliceerd, 1 niet gepubliceerd)" in text
    assert "bericht 206 “Met wachtwoord”" in text
    assert "product 213 “Wollen sokken”: soort “product” kent deze site niet" in text
    assert "Stap 2 van 2" in err.getvalue()


def test_the_command_refuses_a_missing_file_or_a_feed(tmp_path):
    with pytest.raises(CommandError, match="niet gevonden"):
        call_command("import_wxr", str(tmp_path / "weg.wxr"))
    feed = tmp_path / "feed.xml"
    feed.write_text('<rss version="2.0"><channel><item><title>x</title></item></channel></rss>')
    with pytest.raises(CommandError, match="geen WordPress-export"):
        call_command("import_wxr", str(feed))


# --- comments -----------------------------------------------------------------------------

def test_comments_keep_their_threading_status_and_facts():
    report = run("comments.wxr")
    imported = post(301, "reacties.example.org")
    by_name = {c.name: c for c in imported.comments.all()}
    anna, answer, bert = by_name["Anna de Vries"], by_name["Redactie"], by_name["Bert"]
    # The reply came before its parent in the file.
    assert answer.parent == anna and bert.parent == answer
    assert answer.is_author_reply and answer.user == imported.author
    assert (anna.status, bert.status) == (Comment.Status.APPROVED, Comment.Status.PENDING)
    assert by_name["Goedkoop"].status == Comment.Status.SPAM
    assert by_name["Weg"].status == Comment.Status.REMOVED
    assert anna.email == "lezer@example.org" and anna.url == "https://anna.example.org"
    assert anna.created_at == datetime(2023, 6, 2, 10, 0, tzinfo=UTC)
    assert anna.body == ("Wat een goed stuk.\n\nLees ook mijn blog "
                         "(https://anna.example.org/blog/) & reageer.")
    assert '<a href="https://anna.example.org/blog/" rel="nofollow ugc noopener">' in \
        anna.body_html
    # A reply to a comment that is not there stands on its own, and is reported.
    assert by_name["Verdwaald"].parent is None and findings(report, "orphan_replies") == {"407"}
    # Made-up addresses are dropped, never rendered as links.
    assert (by_name["Rare gegevens"].email, by_name["Rare gegevens"].url) == ("", "")
    # No GMT time: the local time, in Amsterdam (summer: UTC+2).
    assert by_name["Zonder GMT"].created_at == datetime(2023, 7, 1, 7, 30, tzinfo=UTC)
    assert "Ander blog" not in by_name and report.ignored_comments == {"pingback": 1}
    assert report.created[("comment", Comment.Status.APPROVED)] == 5


# --- media and shortcodes -----------------------------------------------------------------

def media_dir(tmp_path, make_image):
    """The WordPress uploads folder: one file as DIR/2010/12/…, one under wp-content/uploads."""
    root = tmp_path / "uploads"
    (root / "2010" / "12").mkdir(parents=True)
    (root / "2010" / "12" / "foto.jpg").write_bytes(make_image("JPEG", (1200, 800)))
    (root / "wp-content" / "uploads" / "2010" / "12").mkdir(parents=True)
    (root / "wp-content" / "uploads" / "2010" / "12" / "plaatje.png").write_bytes(
        make_image("PNG", (300, 200)))
    return root


def test_attachments_are_processed_like_uploads_and_become_featured_images(tmp_path,
                                                                            make_image):
    report = run("media.wxr", media_dir=media_dir(tmp_path, make_image))
    assert Image.objects.count() == 2
    assert report.created[("attachment", "image")] == 2
    featured = post(601, "media.example.org")
    assert featured.featured_image.original_name == "foto.jpg"
    assert featured.featured_image_alt == "Het buurthuis met vrijwilligers voor de deur"
    assert set(featured.featured_image.renditions) == {"400", "800", "1200"}
    # The body shows the new files, not the old site's.
    body = featured.body_html
    assert "media.example.org/wp-content/uploads/2010/12/foto" not in body
    assert f'src="{featured.featured_image.url_for(800)}"' in body
    assert "plaatje.png" not in body.split('class="gallery"')[1].split("</div>")[0]
    # Missing and non-image files are reported, not fatal.
    assert findings(report, "missing_files") == {"504"}
    assert findings(report, "not_images") == {"503"}
    assert findings(report, "missing_featured") == {"602"}
    assert WordPressItem.objects.get(kind="attachment", key="503").meta["file"] == \
        "2010/12/folder.pdf"


def test_a_later_run_with_the_media_folder_completes_the_featured_images(tmp_path, make_image):
    run("media.wxr")
    assert post(601, "media.example.org").featured_image is None
    before = counts()
    run("media.wxr", media_dir=media_dir(tmp_path, make_image))
    assert post(601, "media.example.org").featured_image.original_name == "foto.jpg"
    after = counts()
    assert after.pop("Image") == 2 and before.pop("Image") == 0
    assert after == before  # nothing else was created twice


def test_shortcodes_never_reach_the_reader_as_brackets(tmp_path, make_image):
    report = run("media.wxr", media_dir=media_dir(tmp_path, make_image))
    body = post(601, "media.example.org").body_html
    assert not re.search(r"\[/?(caption|gallery|embed|video|audio|contact-form-7|note|code)\b",
                         body.replace("Schrijf [gallery] om", ""))
    assert '<figure class="wp-caption alignleft">' in body
    assert "<figcaption>Het buurthuis in de zon</figcaption>" in body
    assert body.count('class="gallery-item"') == 4  # [gallery] (2) and [gallery ids=…] (2)
    assert '<a href="https://vimeo.com/12345">' in body
    assert '<a href="https://www.youtube.com/watch?v=xyz789">' in body  # was an iframe
    assert "Video: film.mp4" in body and "Geluidsfragment: geluid.mp3" in body
    assert "(contact-form-7) dat niet is overgenomen" in body
    assert "<p>Let op: <em>belangrijk</em>.</p>" in body
    assert "<pre><code>&lt;?php echo" in body
    assert report.unknown_shortcodes == {"contact-form-7": 1, "note": 1}


def test_attachment_files_never_come_from_outside_the_media_folder(tmp_path, make_image):
    outside = tmp_path / "geheim.jpg"
    outside.write_bytes(make_image("JPEG", (50, 50)))
    root = tmp_path / "uploads"
    root.mkdir()
    text = (FIXTURES / "media.wxr").read_text().replace(
        "2010/12/foto.jpg]]></wp:meta_value>", "../geheim.jpg]]></wp:meta_value>"
    ).replace("/wp-content/uploads/2010/12/foto.jpg", "/wp-content/uploads/../../geheim.jpg")
    path = tmp_path / "traversal.wxr"
    path.write_text(text)
    report = run(path, media_dir=root)
    assert Image.objects.count() == 0 and "501" in findings(report, "missing_files")


# --- hostile content ----------------------------------------------------------------------

def test_hostile_html_in_posts_pages_and_comments_is_inert_on_the_public_page(client):
    run("hostile.wxr")
    imported = post(701, "hostile.example.org")
    assert imported.title == "Kop met rommel"
    response = client.get(imported.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    article = element(page, "article")
    assert_inert(article)
    assert "Gewone tekst." in article
    assert "javascript:" not in article.lower()
    assert "<script" not in article and "alert(16)" not in article  # nor its text in the title
    comment = imported.comments.get()
    assert comment.name == "Naam" and comment.url == ""
    assert_inert(comment.body_html)  # what the comment list marks safe
    assert "&lt;b&gt;vet&lt;/b&gt;" in comment.body_html
    comments = element(page, "ol", "id", "reactielijst") or element(page, "div", "id",
                                                                     "reactielijst")
    if comments is not None:  # the comment list, where the site shows one
        assert_inert(comments)
        assert "Hallo" in comments
    page = client.get(Page.objects.get(title="Pagina met rommel").get_absolute_url())
    assert_inert(element(page.content.decode(), "article"))


# --- one bad item, a repeated run, a dry run ----------------------------------------------

def test_a_broken_item_is_reported_and_skipped_and_the_rest_goes_in():
    report = run("broken.wxr")
    # 804 is published without a date: WordPress dates it at import time, and so do we
    # (issue 14); nothing published is dropped.
    assert sorted(Post.objects.values_list("title", flat=True)) == [
        "Eerste goede", "Gepubliceerd zonder datum", "Tweede goede"]
    assert findings(report, "skipped") == {"802", "abc"}
    reasons = {f.wp_id: f.reason for f in report.findings["skipped"]}
    assert "ongeldige datum" in reasons["802"] and "id" in reasons["abc"]
    assert not WordPressItem.objects.filter(kind="post", key="802").exists()
    assert findings(report, "undated") == {"804"}


def write_wxr(path, posts):
    """A small export: (id, title, [tags]) per post."""
    items = "".join(
        f"""<item><title>{title}</title><link>https://klein.example.org/{wp_id}/</link>
        <dc:creator>auteur</dc:creator><guid>https://klein.example.org/?p={wp_id}</guid>
        <content:encoded><![CDATA[Tekst {wp_id}.]]></content:encoded>
        <wp:post_id>{wp_id}</wp:post_id><wp:post_date>2023-01-0{wp_id} 10:00:00</wp:post_date>
        <wp:post_date_gmt>2023-01-0{wp_id} 09:00:00</wp:post_date_gmt>
        <wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
        {"".join(f'<category domain="post_tag" nicename="{t}">{t}</category>' for t in tags)}
        </item>"""
        for wp_id, title, tags in posts
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:base_site_url>https://klein.example.org</wp:base_site_url>"
        f"{items}</channel></rss>", encoding="utf-8"
    )
    return path


def test_a_failing_item_is_rolled_back_whole_and_leaves_no_stale_cache(tmp_path, monkeypatch):
    path = write_wxr(tmp_path / "klein.wxr", [
        (1, "Valt om", ["nieuw-label"]),
        (2, "Blijft staan", ["nieuw-label"]),
    ])
    real = importer_module.workflow.restore_imported_many

    def failing(entries):
        # The batch fails, then each item is written alone: only "Valt om" fails again.
        if any(post.title == "Valt om" for post, *_rest in entries):
            raise RuntimeError("schijf vol")
        return real(entries)

    monkeypatch.setattr(importer_module.workflow, "restore_imported_many", failing)
    report = run(path)
    assert [f.reason for f in report.findings["skipped"]] == ["RuntimeError: schijf vol"]
    survivor = Post.objects.get()
    assert survivor.title == "Blijft staan"
    assert list(survivor.tags.names()) == ["nieuw-label"]
    assert Tag.objects.count() == 1 and report.tags == 1


def test_an_attachment_that_fails_after_its_file_was_stored_leaves_no_files(
    tmp_path, make_image, settings, monkeypatch
):
    create = WordPressItem.objects.create

    def failing(**kwargs):
        if kwargs.get("kind") == WordPressItem.Kind.ATTACHMENT and kwargs.get("key") == "501":
            raise RuntimeError("schijf vol")
        return create(**kwargs)

    monkeypatch.setattr(WordPressItem.objects, "create", failing)
    report = run("media.wxr", media_dir=media_dir(tmp_path, make_image))
    assert "501" in findings(report, "skipped")
    survivor = Image.objects.get()
    assert survivor.original_name == "plaatje.png"
    root = Path(settings.MEDIA_ROOT)
    files = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    assert files == set(survivor.renditions.values())


def test_running_the_same_import_twice_creates_nothing_new(tmp_path, make_image):
    folder = media_dir(tmp_path, make_image)
    for name in ("statuses.wxr", "comments.wxr", "media.wxr", "version-1.2.wxr"):
        run(name, media_dir=folder)
    first = counts()
    for name in ("statuses.wxr", "comments.wxr", "media.wxr", "version-1.2.wxr"):
        report = run(name, media_dir=folder)
        assert not report.created, (name, report.created)
    assert counts() == first
    report = run("comments.wxr")
    assert report.existing["post"] == 1 and report.existing["comment"] == 8


def test_a_post_the_editor_deleted_is_not_brought_back():
    run("statuses.wxr")
    post(201, STATUS_SITE).delete()
    report = run("statuses.wxr")
    assert findings(report, "deleted") == {"201"}
    assert not Post.objects.filter(title="Gepubliceerd").exists()


def test_the_same_post_from_a_renamed_site_is_recognised_by_its_guid(tmp_path):
    run("version-1.2.wxr")
    renamed = tmp_path / "renamed.wxr"
    renamed.write_text((FIXTURES / "version-1.2.wxr").read_text().replace(
        "<wp:base_site_url>https://buurt.example.org", "<wp:base_site_url>https://nieuw.example.org"))
    report = run(renamed)
    assert report.existing["post"] == 1 and Post.objects.count() == 1


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(tmp_path, make_image, settings):
    folder = media_dir(tmp_path, make_image)
    out = StringIO()
    call_command("import_wxr", str(FIXTURES / "media.wxr"), "--dry-run", "--media-dir",
                 str(folder), stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert text.startswith("PROEFRUN")
    assert "Berichten: 2 nieuw (2 gepubliceerd)" in text
    assert "Bijlagen: 2 afbeeldingen overgenomen" in text
    assert all(n == 0 for n in counts().values()), counts()
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


# --- trends -------------------------------------------------------------------------------

def test_trend_meta_links_the_post_once_the_years_trend_list_exists(tmp_path):
    from tests.factories import TrendFactory, TrendListFactory

    path = tmp_path / "trend.wxr"
    path.write_text((FIXTURES / "version-1.2.wxr").read_text().replace(
        "<wp:postmeta>", "<wp:postmeta><wp:meta_key>trend_2010</wp:meta_key>"
        "<wp:meta_value>3</wp:meta_value></wp:postmeta><wp:postmeta>", 1))
    report = run(path)
    assert Post.objects.get().trend is None
    assert [f.reason for f in report.findings["unlinked_trends"]] == ["trend 3 van 2010"]

    trends = TrendListFactory(year=2010)
    for number in (1, 2, 3):
        TrendFactory(trend_list=trends, number=number)
    report = run(path)
    assert Post.objects.get().trend.number == 3 and report.trends_linked == 1
    assert not report.findings.get("unlinked_trends")


# --- old links ----------------------------------------------------------------------------

def test_old_links_redirect_only_to_what_is_public(client):
    run("statuses.wxr")
    live = post(201, STATUS_SITE)
    response = client.get("/gepubliceerd/")
    assert response.status_code == 301 and response["Location"] == live.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/gepubliceerd").status_code == 301  # without the trailing slash
    assert client.get("/?p=201")["Location"] == live.get_absolute_url()
    # Scheduled, draft, private and password-protected posts stay hidden: a plain 404.
    for old in ("/ingepland/", "/?p=202", "/?p=203", "/alleen-voor-ons/", "/met-wachtwoord/"):
        status = client.get(old).status_code
        assert status != 301 and status in {404, 200}, (old, status)  # 200: the home page
    assert client.get("/?page_id=209")["Location"] == "/pagina/over-ons/"
    assert client.get("/?page_id=210").status_code == 200  # just the home page


def test_an_old_link_costs_one_query_and_only_on_a_404(client):
    run("statuses.wxr")
    with CaptureQueriesContext(connection) as queries:
        client.get("/gepubliceerd/")
    lookups = [q for q in queries.captured_queries if "wordpress_legacyredirect" in q["sql"]]
    assert len(lookups) == 1
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/pagina/over-ons/").status_code == 200
    assert not [q for q in queries.captured_queries if "wordpress_legacyredirect" in q["sql"]]


def test_tags_added_in_bulk_show_on_the_tag_page(client):
    run("version-1.2.wxr")
    assert TaggedPost.objects.count() == 2
    response = client.get("/tag/buurtwerk/")
    assert response.status_code == 200 and "Vrijwilligers in de buurt" in response.content.decode()


def test_progress_is_shown_on_stderr_for_large_files(monkeypatch):
    monkeypatch.setattr(importer_module, "PROGRESS_EVERY", 5)
    err = StringIO()
    call_command("import_wxr", str(FIXTURES / "statuses.wxr"), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert "… 5 van 15 items verwerkt" in lines and "… 15 van 15 items verwerkt" in lines


def test_tags_cost_no_query_per_tag(tmp_path, django_assert_max_num_queries):
    names = [f"label{n}" for n in range(10)]
    for name in names:
        Tag.objects.create(name=name, slug=name)
    few = write_wxr(tmp_path / "weinig.wxr", [(1, "Weinig labels", names[:2])])
    many = write_wxr(tmp_path / "veel.wxr", [(1, "Veel labels", names)])
    with CaptureQueriesContext(connection) as small:
        run(few)
    for model in (LegacyRedirect, WordPressItem, Post, AuthorProfile, User):
        model.objects.all().delete()  # the same start for the second import
    with django_assert_max_num_queries(len(small.captured_queries)):
        run(many)  # five times the tags, no more queries
    assert sorted(Post.objects.get().tags.names()) == names


def test_the_admin_lists_old_links_and_imported_items(editor, editor_client):
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="blog", codename__in=[
            "view_legacyredirect", "change_legacyredirect", "view_wordpressitem"]))
    run("version-1.2.wxr")
    response = editor_client.get("/beheer/wordpress/legacyredirect/")
    assert response.status_code == 200 and "/?p=7" in response.content.decode()
    response = editor_client.get("/beheer/wordpress/wordpressitem/?kind=post")
    assert response.status_code == 200 and "Vrijwilligers in de buurt" in response.content.decode()
    item = WordPressItem.objects.get(kind="post")
    assert editor_client.get(f"/beheer/wordpress/wordpressitem/{item.pk}/change/").status_code == 200
    assert editor_client.get("/beheer/wordpress/wordpressitem/add/").status_code == 403


def test_an_export_split_over_two_files_links_featured_images_across_them(tmp_path,
                                                                          make_image):
    source = (FIXTURES / "media.wxr").read_text()
    head, _sep, rest = source.partition("\t<item>")
    items = ["\t<item>" + part for part in rest.split("\t<item>")]
    tail = "</channel>\n</rss>\n"
    items[-1] = items[-1].replace(tail, "")
    attachments = [i for i in items if "<![CDATA[attachment]]>" in i]
    posts = [i for i in items if i not in attachments]
    (tmp_path / "bijlagen.wxr").write_text(head + "".join(attachments) + tail)
    (tmp_path / "berichten.wxr").write_text(head + "".join(posts) + tail)

    run(tmp_path / "bijlagen.wxr", media_dir=media_dir(tmp_path, make_image))
    report = run(tmp_path / "berichten.wxr")
    featured = post(601, "media.example.org")
    assert featured.featured_image.original_name == "foto.jpg"
    assert featured.featured_image_alt == "Het buurthuis met vrijwilligers voor de deur"
    assert findings(report, "missing_featured") == {"602"}
