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
