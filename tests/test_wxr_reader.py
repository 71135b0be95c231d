"""Reading WXR files: every version and namespace form WordPress writes, and what it gets wrong."""

from pathlib import Path

import pytest

from wordpress import reader

FIXTURES = Path(__file__).parent / "fixtures" / "wxr"
VERSIONS = ["version-1.0.wxr", "version-1.1.wxr", "version-1.2.wxr"]


def with_scheme(source: Path, tmp_path, scheme: str) -> Path:
    """The same export with the WordPress namespaces written as http:// or https://."""
    text = source.read_text(encoding="utf-8")
    for old in ("http://wordpress.org/export/", "https://wordpress.org/export/"):
        text = text.replace(old, f"{scheme}://wordpress.org/export/")
    target = tmp_path / f"{scheme}-{source.name}"
    target.write_text(text, encoding="utf-8")
    return target


def records(path):
    return list(reader.read(path))


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("name", VERSIONS)
def test_every_version_and_namespace_form_reads_the_same(name, scheme, tmp_path):
    found = records(with_scheme(FIXTURES / name, tmp_path, scheme))
    channel = found[0]
    assert isinstance(channel, reader.Channel)
    assert channel.wxr_version == name[len("version-"):-len(".wxr")]
    assert channel.base_site_url.endswith("buurt.example.org")

    (item,) = [r for r in found if isinstance(r, reader.Item)]
    assert item.post_id == "7"
    assert item.title == "Vrijwilligers in de buurt"
    assert item.creator == "marieke"
    assert item.status == "publish" and item.post_type == "post"
    assert item.post_date_gmt == "2009-10-05 08:00:00"
    assert item.content.startswith("Zonder vrijwilligers geen buurthuis.\nDat weet iedereen.")
    assert {(t.domain, t.name) for t in item.terms} >= {
        ("category", "Buurtwerk"), ("post_tag" if name != "version-1.0.wxr" else "tag",
                                    "vrijwilligers")}
    assert [c.id for c in item.comments] == ["31", "32"]
    assert item.comments[1].parent == "31"
    assert item.comments[0].author_email == "kees@example.org"


def test_authors_come_with_their_id_from_wxr_1_2():
    authors = [r for r in records(FIXTURES / "version-1.2.wxr") if isinstance(r, reader.Author)]
    assert [(a.login, a.id, a.display_name, a.email) for a in authors] == [
        ("marieke", "2", "Marieke Jansen", "marieke@buurt.example.org")
    ]


def test_post_meta_and_attachment_urls_are_read():
    items = {r.post_id: r for r in records(FIXTURES / "media.wxr") if isinstance(r, reader.Item)}
    assert items["601"].meta["_thumbnail_id"] == "501"
    assert items["501"].attachment_url.endswith("/wp-content/uploads/2010/12/foto.jpg")
    assert items["501"].meta["_wp_attachment_image_alt"].startswith("Het buurthuis")


@pytest.mark.parametrize("uri", [
    "http://wordpress.org/export/1.2/", "https://wordpress.org/export/1.2/",
    "http://wordpress.org/export/1.1", "https://wordpress.com/export/1.2/",
    "HTTPS://wordpress.org/export/1.0/",
])
def test_namespace_is_recognised_by_what_follows_the_scheme(uri):
    assert reader.element_name("{" + uri + "}post_id") == "wp:post_id"
    assert reader.element_name("{" + uri.rstrip("/") + "/excerpt/}encoded") == "excerpt:encoded"


def test_an_unknown_namespace_is_not_taken_for_wordpress():
    assert reader.element_name("{http://example.org/wordpress.org/export/1.2/}post_id") != \
        "wp:post_id"


def test_control_characters_and_blank_lines_before_the_declaration_are_tolerated(tmp_path):
    source = (FIXTURES / "version-1.2.wxr").read_bytes()
    broken = b"\xef\xbb\xbf\n\n  " + source.replace(
        b"Dat weet iedereen.", b"Dat weet\x0b iedereen.\x0c"
    )
    path = tmp_path / "rommel.wxr"
    path.write_bytes(broken)
    (item,) = [r for r in records(path) if isinstance(r, reader.Item)]
    assert "Dat weet iedereen." in item.content


@pytest.mark.parametrize("text, message", [
    ("<html><body>Hallo</body></html>", "begint met <html>"),
    ('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
     "<item><title>x</title></item></channel></rss>", "geen wp:-gegevens"),
    ('<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title>'
     "</channel></rss>", "regel 1"),
])
def test_what_is_not_a_wordpress_export_is_refused_with_a_reason(tmp_path, text, message):
    path = tmp_path / "fout.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(reader.WxrError, match=message):
        records(path)


@pytest.mark.parametrize("declaration", [
    # "Billion laughs": a few lines that would expand to gigabytes.
    '<!DOCTYPE rss [<!ENTITY a "hahahahahahahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    # An external entity: would read a file from the server.
    '<!DOCTYPE rss [<!ENTITY geheim SYSTEM "file:///etc/passwd">]>',
])
def test_entity_declarations_are_refused_before_anything_is_expanded(tmp_path, declaration):
    export = tmp_path / "bom.wxr"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + declaration +
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<wp:wxr_version>1.2</wp:wxr_version><title>" + ("&c;" if "ENTITY c" in declaration else "&geheim;") + "</title></channel></rss>",
        encoding="utf-8",
    )
    with pytest.raises(reader.WxrError, match="XML-entiteiten"):
        records(export)


# --- what old exports get wrong (issue 14) -------------------------------------------------

def small_export(items: str, *, version: str | None = "1.2", header: str = "") -> str:
    version_tag = f"<wp:wxr_version>{version}</wp:wxr_version>" if version is not None else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Oud blog</title>\n'
        f"{version_tag}\n<wp:base_site_url>https://oud.example.org</wp:base_site_url>\n"
        f"{header}{items}</channel>\n</rss>\n"
    )


UNESCAPED = """<item><title>Code in een bericht</title><wp:post_id>11</wp:post_id>
<wp:post_type>post</wp:post_type>
<content:encoded><![CDATA[Zo sluit je het af: x[y[1]]> 2 en
daarna nog een alinea.]]></content:encoded>
<wp:comment><wp:comment_id>5</wp:comment_id>
<wp:comment_content><![CDATA[Klopt, ]]> is lastig.]]></wp:comment_content></wp:comment>
</item>
<item><title>Daarna</title><wp:post_id>12</wp:post_id><wp:post_type>post</wp:post_type>
<content:encoded><![CDATA[Gewoon.]]></content:encoded></item>
"""


def test_an_unescaped_cdata_end_is_read_tolerantly_and_the_text_kept(tmp_path):
    path = tmp_path / "oud.wxr"
    path.write_text(small_export(UNESCAPED), encoding="utf-8")
    wxr = reader.WxrFile(path)
    items = {r.post_id: r for r in wxr.records() if isinstance(r, reader.Item)}
    assert wxr.recovered
    assert items["11"].content == "Zo sluit je het af: x[y[1]]> 2 en\ndaarna nog een alinea."
    assert items["11"].comments[0].content == "Klopt, ]]> is lastig."
    assert items["12"].content == "Gewoon."
    assert [(r.item_id, r.kept) for r in wxr.repairs] == [("11", True), ("11", True)]
    assert wxr.repairs[0].line == 9  # the line of the content, as an editor finds it
    # A second reading goes straight to the tolerant parser and gives the same.
    again = {r.post_id: r for r in wxr.records() if isinstance(r, reader.Item)}
    assert again["11"].content == items["11"].content


def test_a_split_cdata_end_as_wordpress_writes_it_now_needs_no_repair(tmp_path):
    path = tmp_path / "nieuw.wxr"
    path.write_text(small_export(UNESCAPED.replace("x[y[1]]> 2", "x[y[1]]]]><![CDATA[> 2")
                                 .replace("Klopt, ]]>", "Klopt, ]]]]><![CDATA[>")),
                    encoding="utf-8")
    wxr = reader.WxrFile(path)
    items = {r.post_id: r for r in wxr.records() if isinstance(r, reader.Item)}
    assert not wxr.recovered and not wxr.repairs
    assert items["11"].content.startswith("Zo sluit je het af: x[y[1]]> 2 en")


def test_other_damage_is_repaired_and_named_with_its_item(tmp_path):
    broken = UNESCAPED.replace("<title>Daarna</title>", "<title>Daarna & later</title>")
    path = tmp_path / "kapot.wxr"
    path.write_text(small_export(broken), encoding="utf-8")
    wxr = reader.WxrFile(path)
    titles = [r.title for r in wxr.records() if isinstance(r, reader.Item)]
    assert len(titles) == 2 and titles[1].startswith("Daarna")
    damaged = [r for r in wxr.repairs if not r.kept]
    assert damaged and {r.item_id for r in damaged} == {"12"}


def test_a_dtd_is_refused_by_the_tolerant_reading_too(tmp_path):
    path = tmp_path / "dtd.wxr"
    text = small_export(UNESCAPED)
    # Broken before the DTD would be seen, so only the tolerant reading meets it.
    path.write_text(text.replace("<channel>", '<channel><!DOCTYPE x [<!ENTITY a "b">]>'),
                    encoding="utf-8")
    with pytest.raises(reader.WxrError):
        records(path)


@pytest.mark.parametrize("version, message", [
    (None, "versienummer \\(wp:wxr_version\\) ontbreekt"),
    ("", "versienummer \\(wp:wxr_version\\) ontbreekt"),
    ("twee", "is “twee” in plaats van"),
    ("1.2.3", "is “1.2.3” in plaats van"),
])
def test_a_file_without_a_valid_wxr_version_is_refused_before_any_record(tmp_path, version,
                                                                          message):
    path = tmp_path / "geen-versie.wxr"
    path.write_text(small_export(UNESCAPED.split("<item><title>Daarna")[0].replace(
        "]]> 2", "]]]]><![CDATA[> 2").replace("Klopt, ]]>", "Klopt, "),
        version=version, header="<wp:author><wp:author_login>a</wp:author_login></wp:author>"),
        encoding="utf-8")
    handed_out = []
    with pytest.raises(reader.WxrError, match=message):
        for record in reader.read(path):
            handed_out.append(record)
    assert handed_out == []
