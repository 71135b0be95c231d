"""blog/content.py: Markdown and imported HTML are sanitised; plain text stays text."""

import pytest

from core import content
from tests.html_safety import assert_inert

HOSTILE = [
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<svg onload=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">x</p>',
    '<<script>script>alert(1)<</script>/script>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '[klik](javascript:alert(1))',
    '<form action="https://evil.example"><input name=x></form>',
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_markdown_output_never_carries_script(raw):
    assert_inert(content.render_markdown(raw))


@pytest.mark.parametrize("raw", HOSTILE)
def test_imported_html_is_sanitised(raw):
    assert_inert(content.sanitize_html(raw))


@pytest.mark.parametrize("raw", HOSTILE)
def test_plain_text_is_escaped_not_rendered(raw):
    html = content.plain_text_to_html(raw)
    assert_inert(html)
    assert "<img" not in html and "<a href=\"javascript" not in html


def test_the_checker_itself_catches_script():
    assert_inert("<p>ok</p>")
    with pytest.raises(AssertionError):
        assert_inert('<a href="javascript:x">x</a>')
    with pytest.raises(AssertionError):
        assert_inert('<img src=x onerror=alert(1)>')


def test_markdown_renders_paragraphs_lists_and_links():
    html = content.render_markdown("Eerste.\n\n* een\n* twee\n\n[site](https://example.org)")
    assert "<p>Eerste.</p>" in html
    assert "<ul>" in html and "<li>een</li>" in html
    assert '<a href="https://example.org">site</a>' in html


def test_body_headings_start_below_the_page_title():
    html = content.render_markdown("# Kop\n\n## Sub")
    assert "<h2>Kop</h2>" in html and "<h3>Sub</h3>" in html and "<h1" not in html


def test_plain_text_paragraphs_and_nofollow_links():
    html = content.plain_text_to_html("Hallo <b>daar</b>\nregel twee\n\nZie https://example.org/x")
    assert html.startswith("<p>Hallo &lt;b&gt;daar&lt;/b&gt;<br>")
    assert '<a href="https://example.org/x" rel="nofollow ugc noopener">' in html
    assert html.count("<p>") == 2


def test_excerpt_cuts_on_words_and_strips_tags():
    html = "<p>" + " ".join(f"woord{i}" for i in range(60)) + "</p>"
    excerpt = content.make_excerpt(html, words=5)
    assert excerpt == "woord0 woord1 woord2 woord3 woord4 …"
    assert content.strip_tags("<p>A &amp; B</p>") == "A & B"


def test_body_headings_never_skip_a_level_under_the_title():
    # Writers usually start at '##': that must be an <h2>, not an <h3> right under the <h1>.
    html = content.render_markdown("## Wat er gebeurde\n\nTekst.\n\n#### Detail")
    assert "<h2>Wat er gebeurde</h2>" in html and "<h3>Detail</h3>" in html


def _full_path(text: str) -> str:
    """plain_text_to_html without its shortcut: escape, linkify, sanitise."""
    import html
    import re

    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    rendered = "\n".join("<p>" + html.escape(p, quote=True).replace("\n", "<br>\n") + "</p>"
                         for p in paragraphs)
    return content._linked_html(rendered)


def test_text_without_an_address_gives_what_linkify_and_the_sanitiser_give():
    import random

    rng = random.Random(14)
    pieces = list("abcxyz éëüß'\"<>&;:/,!?-_()[]{}#@%=+*\t€😀") + [
        "\n", "\n\n", "&amp;", "&#39;", "<b>", "</p>", "<script>", "www", "http", "mailto",
        " .nl", "1.5", "x.", "...", "a.1"]
    checked = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        if not text.strip() or content._MAYBE_ADDRESS.search(text):
            continue
        assert content.plain_text_to_html(text) == _full_path(text), text
        checked += 1
    assert checked > 1000


@pytest.mark.parametrize("text", ["Kijk op welzijn.nl, echt.", "Zie www.example.org!",
                                  "Lees https://example.org/x?a=1&b=2 maar"])
def test_text_with_an_address_still_gets_its_link(text):
    rendered = content.plain_text_to_html(text)
    assert 'rel="nofollow ugc noopener"' in rendered and rendered == _full_path(text)


def _bleach_text(markup: str) -> str:
    """What strip_tags gave before it read HTML with lxml: bleach stripping every tag."""
    import html

    import bleach

    return " ".join(html.unescape(bleach.clean(markup, tags=set(), strip=True)).split())


STRIP_PIECES = [
    "a < b", "x<3", "5 > 4", "R&D", "<!--more-->", "<!-- wp:paragraph -->", "<p>", "</p>",
    "Zorg & welzijn", "&nbsp;", "<em>nadruk</em>", '<a href="https://x.nl/?a=1&b=2">link</a>',
    "\n\n", "tekst", '[caption id="a"]', "<img src='x.jpg' alt='foto' />", "<h2>Kop</h2>",
    "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>", "<strong>vet</strong>", "<br />", "é", "—",
    "<table><tr><td>cel</td></tr></table>", "<div class=\"wp-block\">", "</div>",
    "<script>var a=1;</script>", "<blockquote>citaat</blockquote>", "&#8220;aanhaling&#8221;",
]


def test_strip_tags_gives_the_text_bleach_gave():
    """The excerpts, feed summaries and search snippets did not change when strip_tags moved
    from bleach to lxml: the same text for the sanitised HTML that pages store, and for raw
    WordPress HTML the same words (a space may differ around odd markup)."""
    import random

    rng = random.Random(2010)
    for _ in range(2000):
        raw = "".join(rng.choice(STRIP_PIECES) for _ in range(rng.randint(1, 15)))
        stored = content.sanitize_html(raw)
        assert content.strip_tags(stored) == _bleach_text(stored), stored
        assert (content.strip_tags(raw).replace(" ", "")
                == _bleach_text(raw).replace(" ", "")), raw
        markdown = content.render_markdown(raw.replace("<", "*"))
        assert content.strip_tags(markdown) == _bleach_text(markdown), markdown
    assert content.strip_tags("<p>een</p><p>twee</p>") == "een twee"  # two blocks, two words
    assert content.strip_tags("a<!-- wp:paragraph -->b") == "ab"  # a comment hides no text
    assert content.strip_tags("nul\x00teken<p>x</p>") == _bleach_text("nul\x00teken<p>x</p>")
    assert content.strip_tags("") == content.strip_tags("  \n") == ""
