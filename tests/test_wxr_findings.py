"""What real WordPress exports lost or mangled (issue 14), each case in a small export built here.

Shared guids, a published post without a date, same-name categories, logins with characters
WordPress strips, an unescaped `]]>`, a missing or bad `wxr_version`, unused terms, and links
into the old site; plus the redirects of old category, tag, author and date addresses.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from accounts.models import AuthorProfile, User
from blog.models import Image, Page, Post
from comments.models import Comment
from tests.factories import LivePostFactory
from wordpress.importer import WxrImporter
from wordpress.models import LegacyRedirect, WordPressItem
from wordpress.reader import WxrError

pytestmark = pytest.mark.django_db
SITE = "https://oud.example.org"


def author(login, name, author_id, email=None):
    return (f"<wp:author><wp:author_id>{author_id}</wp:author_id>"
            f"<wp:author_login><![CDATA[{login}]]></wp:author_login>"
            f"<wp:author_email>{email or login.strip('>') + '@oud.example.org'}</wp:author_email>"
            f"<wp:author_display_name><![CDATA[{name}]]></wp:author_display_name></wp:author>\n")


def item(wp_id, title, *, slug=None, date="2010-12-06 07:00:00", status="publish",
         creator="anneke", guid=None, body="Tekst.", terms="", post_type="post", comments="",
         link=None):
    slug = slug if slug is not None else f"bericht-{wp_id}"
    gmt = date if date is None else date
    when = datetime.strptime(date, "%Y-%m-%d %H:%M:%S") if date else None
    permalink = link or (f"{SITE}/{when:%Y/%m}/{slug}/" if when else f"{SITE}/?p={wp_id}")
    dates = (f"<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{gmt}</wp:post_date_gmt>"
             if date else "<wp:post_date>0000-00-00 00:00:00</wp:post_date>"
             "<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>")
    return (
        f"<item><title><![CDATA[{title}]]></title><link>{permalink}</link>"
        f"<dc:creator><![CDATA[{creator}]]></dc:creator>"
        f'<guid isPermaLink="false">{guid or f"{SITE}/?p={wp_id}"}</guid>'
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<wp:post_id>{wp_id}</wp:post_id>{dates}"
        f"<wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status>{status}</wp:status>"
        f"<wp:post_type>{post_type}</wp:post_type>{terms}{comments}</item>\n"
    )


def comment(comment_id, name, text, date="2010-12-07 10:00:00"):
    return (f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
            f"<wp:comment_author><![CDATA[{name}]]></wp:comment_author>"
            f"<wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
            f"<wp:comment_content><![CDATA[{text}]]></wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved></wp:comment>")


def export(tmp_path, *parts, header="", version="1.2", name="oud.wxr", site=SITE):
    version_tag = f"<wp:wxr_version>{version}</wp:wxr_version>" if version is not None else ""
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Oud</title>\n'
        f"<link>{site}</link>{version_tag}\n<wp:base_site_url>{site}</wp:base_site_url>\n"
        f"<wp:base_blog_url>{site}</wp:base_blog_url>\n"
        + author("anneke", "Anneke Krakers", 1) + header + "".join(parts)
        + "</channel>\n</rss>\n",
        encoding="utf-8",
    )
    return path


def imported(wp_id, kind="post"):
    row = WordPressItem.objects.get(site="oud.example.org", kind=kind, key=str(wp_id))
    return row.post if kind == "post" else row.page


def found(report, name):
    return {f.wp_id: f.reason for f in report.findings.get(name, [])}


# --- 1. a shared guid ------------------------------------------------------------------------

def test_two_posts_that_share_a_guid_stay_two_posts_with_their_own_old_links(tmp_path, client):
    guid = f"{SITE}/?p=5"
    path = export(tmp_path,
                  item(5, "Het origineel", guid=guid, body="Eerste versie."),
                  item(9, "Een kopie", guid=guid, date="2010-12-08 07:00:00",
                       body="Tweede versie."))
    report = WxrImporter(path).run()
    assert report.count("post") == 2 and not report.existing["post"]
    original, copy = imported(5), imported(9)
    assert original != copy and copy.body_html == "<p>Tweede versie.</p>"
    response = client.get("/?p=9")
    assert response.status_code == 301 and response["Location"] == copy.get_absolute_url()
    assert client.get("/?p=5")["Location"] == original.get_absolute_url()
    assert WxrImporter(path).run().existing["post"] == 2  # and a second run adds nothing
    assert Post.objects.count() == 2


def test_a_post_with_the_same_title_and_date_as_one_here_is_that_post(tmp_path):
    here = LivePostFactory(title="Al hier", publish_at=datetime(2010, 12, 6, 7, 0, tzinfo=UTC))
    path = export(tmp_path, item(5, "Al hier", comments=comment(1, "Lezer", "Mooi.")))
    report = WxrImporter(path).run()
    assert Post.objects.count() == 1 and report.count("post") == 0
    assert "5" in found(report, "duplicates")
    assert [c.body for c in here.comments.all()] == ["Mooi."]
    assert imported(5) == here
    # The same file again: nothing twice, not even the comment.
    WxrImporter(path).run()
    assert Post.objects.count() == 1 and here.comments.count() == 1


# --- 2. published without a date --------------------------------------------------------------

def test_a_published_post_without_a_date_is_dated_at_import_and_reported(tmp_path, client):
    path = export(tmp_path, item(7, "Zonder datum", date=None, slug="zonder-datum"))
    before = timezone.now()
    report = WxrImporter(path).run()
    post = imported(7)
    assert post.is_live and before <= post.publish_at <= timezone.now()
    reason = found(report, "undated")["7"]
    assert timezone.localtime(post.publish_at).strftime("%Y-%m-%d %H:%M") in reason
    assert client.get(post.get_absolute_url()).status_code == 200
    assert "geen datum" in post.events.get().note


# --- 3. same-name categories -------------------------------------------------------------------

def test_categories_with_the_same_name_and_other_slugs_stay_two_tags(tmp_path, client):
    header = (
        "<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>regio</wp:category_nicename>"
        "<wp:cat_name>Regio</wp:cat_name></wp:category>"
        "<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>nieuws</wp:category_nicename>"
        "<wp:cat_name>Nieuws</wp:cat_name></wp:category>"
        "<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename>nieuws-regio"
        "</wp:category_nicename><wp:category_parent>regio</wp:category_parent>"
        "<wp:cat_name>Nieuws</wp:cat_name></wp:category>"
    )
    path = export(
        tmp_path,
        item(1, "Landelijk", terms='<category domain="category" nicename="nieuws">Nieuws</category>'),
        item(2, "In de regio", date="2010-12-07 07:00:00",
             terms='<category domain="category" nicename="nieuws-regio">Nieuws</category>'),
        header=header,
    )
    report = WxrImporter(path).run()
    national, regional = Tag.objects.get(slug="nieuws"), Tag.objects.get(slug="nieuws-regio")
    assert national != regional
    assert national.name == "Nieuws" and regional.name == "Nieuws (regio)"
    assert list(imported(1).tags.all()) == [national]
    assert list(imported(2).tags.all()) == [regional]
    assert "nieuws-regio" in found(report, "renamed_tags")
    assert "In de regio" in client.get("/tag/nieuws-regio/").content.decode()
    assert "In de regio" not in client.get("/tag/nieuws/").content.decode()


# --- 4. a login with characters WordPress strips ------------------------------------------------

def test_a_login_with_stray_characters_is_the_author_the_file_defines(tmp_path):
    path = export(tmp_path, item(1, "Van Anneke", creator=">anneke"),
                  item(2, "Ook van Anneke", creator="anneke ", date="2010-12-07 07:00:00"))
    WxrImporter(path).run()
    assert User.objects.count() == 1
    assert imported(1).author == imported(2).author
    assert imported(1).author.profile.display_name == "Anneke Krakers"
    assert not AuthorProfile.objects.filter(display_name__contains=">").exists()


def test_an_author_login_with_stray_characters_in_the_header_too(tmp_path):
    header = author("<b>kees</b>", "Kees de Vries", 2)
    path = export(tmp_path, item(1, "Van Kees", creator="kees"), header=header)
    WxrImporter(path).run()
    kees = imported(1).author
    assert kees.username == "kees" and kees.profile.display_name == "Kees de Vries"
    assert User.objects.count() == 2  # anneke and kees, nobody else


# --- 5. an unescaped ]]> ---------------------------------------------------------------------

def test_an_export_with_an_unescaped_cdata_end_comes_in_whole_and_says_what_was_repaired(
        tmp_path):
    path = export(tmp_path,
                  item(1, "Code", body="Sluit af met ]]> en ga door.\n\nTweede alinea."),
                  item(2, "Daarna", date="2010-12-07 07:00:00"))
    report = WxrImporter(path).run()
    assert report.count("post") == 2
    assert imported(1).body_html == "<p>Sluit af met ]]&gt; en ga door.</p>\n<p>Tweede alinea.</p>"
    repaired = found(report, "repairs")
    assert set(repaired) == {"1"} and "als tekst bewaard" in repaired["1"]
    assert any("Hersteld bij het lezen" in line for line in report.lines())


# --- 6. no valid wxr_version -------------------------------------------------------------------

@pytest.mark.parametrize("version", [None, "", "drie"])
def test_a_file_without_a_valid_wxr_version_is_refused_and_nothing_is_written(tmp_path, version):
    path = export(tmp_path, item(1, "Iets"), version=version)
    with pytest.raises(WxrError, match="wxr_version"):
        WxrImporter(path).run()
    assert not User.objects.exists() and not Post.objects.exists()
    assert not WordPressItem.objects.exists() and not Tag.objects.exists()


# --- 7. unused categories and tags ------------------------------------------------------------

def test_categories_and_tags_no_post_uses_are_kept(tmp_path, client):
    header = (
        "<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>ongebruikt"
        "</wp:category_nicename><wp:cat_name>Ongebruikt</wp:cat_name></wp:category>"
        "<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>uncategorized"
        "</wp:category_nicename><wp:cat_name>Uncategorized</wp:cat_name></wp:category>"
        "<wp:tag><wp:term_id>8</wp:term_id><wp:tag_slug>leeg-label</wp:tag_slug>"
        "<wp:tag_name>leeg label</wp:tag_name></wp:tag>"
        "<wp:term><wp:term_id>9</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy>"
        "<wp:term_slug>hoofdmenu</wp:term_slug><wp:term_name>Hoofdmenu</wp:term_name></wp:term>"
    )
    report = WxrImporter(export(tmp_path, item(1, "Iets"), header=header)).run()
    assert set(Tag.objects.values_list("slug", "name")) == {
        ("ongebruikt", "Ongebruikt"), ("leeg-label", "leeg label")}
    assert report.tags == 2
    # A tag page lists live posts only; an unused tag has none, so its page stays a 404.
    assert client.get("/tag/ongebruikt/").status_code == 404


# --- 8. links into the old site ----------------------------------------------------------------

def test_links_to_imported_posts_pages_and_pictures_follow_them(tmp_path, make_image):
    uploads = tmp_path / "uploads" / "2010" / "12"
    uploads.mkdir(parents=True)
    (uploads / "foto.jpg").write_bytes(make_image("JPEG", (900, 600)))
    attachment = (
        f"<item><title>Foto</title><link>{SITE}/2010/12/bericht-1/foto/</link>"
        "<wp:post_id>30</wp:post_id><wp:post_type>attachment</wp:post_type>"
        "<wp:status>inherit</wp:status><wp:post_parent>1</wp:post_parent>"
        f"<wp:attachment_url>{SITE}/wp-content/uploads/2010/12/foto.jpg</wp:attachment_url>"
        "</item>\n"
    )
    body = (
        f'Lees <a href="{SITE}/2010/12/bericht-2/">het vervolg</a>, '
        f'<a href="http://www.oud.example.org/2010/12/bericht-2/#reacties">de reacties</a>, '
        '<a href="/over-ons/">over ons</a> en <a href="https://ander.example.org/2010/12/x/">'
        'elders</a>.\n\n'
        f'<img src="{SITE}/wp-content/uploads/2010/12/foto-300x200.jpg" alt="Foto"> '
        '<img src="https://ander.example.org/wp-content/uploads/2010/12/foto.jpg" alt="Elders">'
        f'\n\nOud: <a href="{SITE}/?p=2">korte link</a>, '
        f'<a href="{SITE}/2009/01/weg/">verdwenen</a>.'
    )
    page = item(3, "Over ons", slug="over-ons", post_type="page", link=f"{SITE}/over-ons/")
    path = export(tmp_path, attachment, item(1, "Eerste", body=body),
                  item(2, "Vervolg", date="2010-12-07 07:00:00",
                       body=f'Terug naar <a href="{SITE}/2010/12/bericht-1/">het begin</a>.'),
                  page)
    report = WxrImporter(path, media_dir=tmp_path / "uploads").run()
    first, second = imported(1), imported(2)
    image = Image.objects.get()
    html = first.body_html
    assert f'href="{second.get_absolute_url()}"' in html  # a later post: after pass 2
    assert f'href="{second.get_absolute_url()}#reacties"' in html
    assert f'href="{imported(3, "page").get_absolute_url()}"' in html
    assert 'href="https://ander.example.org/2010/12/x/"' in html  # another site: left alone
    assert f'src="{image.url_for(800)}"' in html
    assert 'src="https://ander.example.org/wp-content/uploads/2010/12/foto.jpg"' in html
    assert html.count(f'href="{second.get_absolute_url()}"') == 2  # /?p=2 too
    assert f'href="{SITE}/2009/01/weg/"' in html  # nothing imported there: left
    assert f'href="{first.get_absolute_url()}"' in second.body_html  # an earlier post
    assert (report.links_rewritten, report.links_left) == (6, 1)
    assert "6 omgezet naar het nieuwe adres, 1 niet" in "\n".join(report.lines())


def test_a_dry_run_counts_the_same_link_rewrites(tmp_path):
    body = f'<a href="{SITE}/2010/12/bericht-2/">later</a> <a href="{SITE}/x/">weg</a>'
    path = export(tmp_path, item(1, "Eerste", body=body),
                  item(2, "Vervolg", date="2010-12-07 07:00:00"))
    dry = WxrImporter(path, dry_run=True).run()
    assert not Post.objects.exists()
    real = WxrImporter(path).run()
    assert (dry.links_rewritten, dry.links_left) == (real.links_rewritten, real.links_left) \
        == (1, 1)


# --- old category, tag, author and date addresses ----------------------------------------------

def test_old_category_tag_author_and_date_addresses_redirect_to_their_new_pages(tmp_path,
                                                                                  client):
    header = (
        "<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>buurtwerk"
        "</wp:category_nicename><wp:cat_name>Buurtwerk</wp:cat_name></wp:category>"
        "<wp:tag><wp:term_id>8</wp:term_id><wp:tag_slug>vrijwilligers</wp:tag_slug>"
        "<wp:tag_name>Vrijwilligers</wp:tag_name></wp:tag>"
    )
    terms = ('<category domain="category" nicename="buurtwerk">Buurtwerk</category>'
             '<category domain="post_tag" nicename="vrijwilligers">Vrijwilligers</category>')
    WxrImporter(export(tmp_path, item(1, "Buurt", terms=terms), header=header)).run()
    anneke = imported(1).author

    def redirect(old):
        response = client.get(old)
        assert response.status_code == 301, (old, response.status_code)
        return response["Location"]

    assert redirect("/category/buurtwerk/") == "/tag/buurtwerk/"
    assert redirect("/?cat=3") == "/tag/buurtwerk/"
    assert redirect("/category/buurtwerk/page/2/") == "/tag/buurtwerk/?pagina=2"
    assert redirect("/?tag=vrijwilligers") == "/tag/vrijwilligers/"
    assert client.get("/tag/vrijwilligers/").status_code == 200  # the same address here
    assert redirect("/author/anneke/") == anneke.profile.get_absolute_url()
    assert redirect("/?author=1") == anneke.profile.get_absolute_url()
    assert redirect("/2010/12/") == "/archief/2010/12/"
    assert redirect("/2010/") == "/archief/2010/"
    assert redirect("/2010/12/06/") == "/archief/2010/12/"
    assert redirect("/?m=201012") == "/archief/2010/12/"
    assert LegacyRedirect.objects.filter(tag__slug="buurtwerk").count() == 2


def test_an_old_address_of_a_tag_or_author_without_live_posts_stays_a_404(tmp_path, client):
    terms = '<category domain="category" nicename="concepten">Concepten</category>'
    WxrImporter(export(tmp_path, item(1, "Nog niet", status="draft", terms=terms))).run()
    assert client.get("/category/concepten/").status_code == 404
    assert client.get("/author/anneke/").status_code == 404


# --- the dry run says what would collide ------------------------------------------------------

def test_a_dry_run_names_slug_and_author_collisions_and_writes_nothing(tmp_path):
    LivePostFactory(slug="bericht-1", title="Iets anders")
    User.objects.create_user("anneke", email="iemand@example.org")
    User.objects.create_user("kees-hier", email="kees@oud.example.org")
    header = author("kees", "Kees", 2, email="kees@oud.example.org")
    path = export(tmp_path, item(1, "Eerste"), item(2, "Van Kees", creator="kees",
                                                    date="2010-12-07 07:00:00"), header=header)
    before = (Post.objects.count(), User.objects.count(), Comment.objects.count())
    report = WxrImporter(path, dry_run=True).run()
    assert (Post.objects.count(), User.objects.count(), Comment.objects.count()) == before
    assert not WordPressItem.objects.exists() and not LegacyRedirect.objects.exists()
    assert "“bericht-1” is al in gebruik: wordt “bericht-1-2”" in found(report, "slug_collisions")["1"]
    authors = found(report, "author_collisions")
    assert "“anneke-2”" in authors["anneke"] and "kees-hier" in authors["kees"]
    assert report.count("post") == 2
    real = WxrImporter(path).run()
    # The real run does what the dry run said (the first lines: "PROEFRUN", file and time).
    assert real.summary()[1:] == report.summary()[2:]
    assert real.sections() == report.sections()
    assert imported(1).slug == "bericht-1-2"


def test_a_page_and_a_post_from_an_earlier_run_are_completed_not_duplicated(tmp_path):
    path = export(tmp_path, item(1, "Eerste"),
                  item(3, "Over ons", slug="over-ons", post_type="page"))
    WxrImporter(path).run()
    again = export(tmp_path, item(1, "Eerste", comments=comment(1, "Lezer", "Later erbij.")),
                   item(3, "Over ons", slug="over-ons", post_type="page"), name="weer.wxr")
    report = WxrImporter(again).run()
    assert report.existing["post"] == 1 and report.existing["page"] == 1
    assert Post.objects.count() == 1 and Page.objects.count() == 1
    assert [c.body for c in imported(1).comments.all()] == ["Later erbij."]


def test_one_transaction_per_batch_keeps_the_per_item_report(tmp_path, monkeypatch):
    from wordpress import importer as importer_module

    monkeypatch.setattr(importer_module, "BATCH_ITEMS", 3)
    posts = [item(n, f"Bericht {n}", date=(datetime(2010, 1, 1, 7) + timedelta(days=n))
                  .strftime("%Y-%m-%d %H:%M:%S")) for n in range(1, 8)]
    real = importer_module.workflow.restore_imported_many

    def failing(entries):
        if any(post.title == "Bericht 5" for post, *_rest in entries):
            raise RuntimeError("kapot")
        return real(entries)

    monkeypatch.setattr(importer_module.workflow, "restore_imported_many", failing)
    report = WxrImporter(export(tmp_path, *posts)).run()
    assert sorted(Post.objects.values_list("title", flat=True)) == [
        f"Bericht {n}" for n in (1, 2, 3, 4, 6, 7)]
    assert found(report, "skipped") == {"5": "RuntimeError: kapot"}
    assert report.count("post") == 6
