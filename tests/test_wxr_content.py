"""WordPress bodies and comments become this site's HTML: autop, shortcodes, sanitising."""

import pytest

from core import content
from tests.html_safety import assert_inert
from wordpress.autop import autop
from wordpress.convert import (
    body_to_html,
    comment_to_text,
    html_for_wordpress,
    plain_text,
    resized_key,
    text_to_comment_html,
)
from wordpress.shortcodes import AttachmentRef, ShortcodeContext, render_shortcodes

# --- autop ---------------------------------------------------------------------------------


def test_blank_lines_make_paragraphs_and_single_newlines_breaks():
    assert autop("Een\ntwee\n\nDrie") == "<p>Een<br />\ntwee</p>\n<p>Drie</p>\n"


def test_block_elements_are_not_wrapped_in_paragraphs():
    html = autop("Tips:\n<ul>\n<li>een</li>\n<li>twee</li>\n</ul>\nna de lijst\n\n<h2>Kop</h2>")
    assert "<p>Tips:</p>" in html
    assert "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>" in html
    assert "<p>na de lijst</p>" in html
    assert "<h2>Kop</h2>" in html and "<p><h2>" not in html and "<br />\n<li>" not in html


def test_nothing_changes_inside_pre():
    html = autop("Code:\n\n<pre>regel een\n\nregel drie</pre>\n\nKlaar")
    assert "<pre>regel een\n\nregel drie</pre>" in html
    assert "<p>Klaar</p>" in html


def test_a_newline_inside_a_tag_is_not_a_line_break():
    html = autop('Zie <a\nhref="https://example.org">hier</a>.')
    assert "<br" not in html and 'href="https://example.org"' in html


def test_a_blockquote_gets_its_paragraph_inside():
    assert autop("<blockquote>Citaat\nregel twee</blockquote>") == \
        "<blockquote><p>Citaat<br />\nregel twee</p></blockquote>\n"


def test_two_breaks_in_a_row_start_a_new_paragraph():
    assert autop("een<br><br>twee") == "<p>een</p>\n<p>twee</p>\n"


def test_empty_content_stays_empty():
    assert autop("  \n\n ") == ""


# --- shortcodes ----------------------------------------------------------------------------

def pictures():
    return ShortcodeContext(
        post_id="10",
        attachments={
            "1": AttachmentRef(url="https://old.example/wp-content/uploads/a.jpg", title="A",
                               alt="Alt A", parent="10", image_src="/media/a-800.jpg",
                               width=800, height=600),
            "2": AttachmentRef(url="https://old.example/wp-content/uploads/b.png", title="Bee",
                               parent="10"),
            "3": AttachmentRef(url="https://old.example/wp-content/uploads/c.pdf", title="PDF",
                               parent="10"),
        },
        children={"10": ["1", "2", "3"]},
    )


def test_caption_becomes_a_figure_with_its_caption():
    html = render_shortcodes(
        '[caption id="attachment_1" align="alignright" width="300"]<a href="x.jpg">'
        '<img src="x-300x200.jpg" alt="Buurthuis" /></a> Het buurthuis[/caption]'
    )
    assert html == (
        '<figure class="wp-caption alignright"><a href="x.jpg"><img src="x-300x200.jpg" '
        'alt="Buurthuis" /></a><figcaption>Het buurthuis</figcaption></figure>'
    )


def test_old_style_caption_attribute_is_escaped_text():
    html = render_shortcodes('[caption caption="Een & <b>twee</b>"]<img src="x.jpg">[/caption]')
    assert "<figcaption>Een &amp; &lt;b&gt;twee&lt;/b&gt;</figcaption>" in html


def test_gallery_shows_the_pictures_of_the_post_or_the_listed_ids():
    context = pictures()
    every = render_shortcodes("[gallery]", context)
    assert every.count("<figure") == 2  # the PDF is no picture
    assert 'src="/media/a-800.jpg" alt="Alt A" width="800" height="600"' in every
    assert 'src="https://old.example/wp-content/uploads/b.png" alt="Bee"' in every
    listed = render_shortcodes('[gallery ids="2"]', context)
    assert listed.count("<figure") == 1 and "b.png" in listed


def test_a_gallery_without_pictures_says_so():
    html = render_shortcodes('[gallery ids="99"]', pictures())
    assert "fotogalerij" in html and "[" not in html


@pytest.mark.parametrize("code, href, label", [
    ("[embed]https://www.youtube.com/watch?v=abc[/embed]",
     "https://www.youtube.com/watch?v=abc", "https://www.youtube.com/watch?v=abc"),
    ('[video mp4="https://old.example/film.mp4"][/video]', "https://old.example/film.mp4",
     "Video: film.mp4"),
    ('[audio src="https://old.example/geluid.mp3"]', "https://old.example/geluid.mp3",
     "Geluidsfragment: geluid.mp3"),
    ("[youtube=https://www.youtube.com/watch?v=xyz]", "https://www.youtube.com/watch?v=xyz",
     "https://www.youtube.com/watch?v=xyz"),
])
def test_media_shortcodes_become_links(code, href, label):
    assert render_shortcodes(code) == f'<p><a href="{href.replace("&", "&amp;")}">{label}</a></p>'


def test_unknown_shortcodes_keep_their_content_or_leave_a_visible_note():
    context = ShortcodeContext()
    wrapped = render_shortcodes("[note]Let op: <em>dit</em>[/note]", context)
    assert wrapped == "Let op: <em>dit</em>"
    single = render_shortcodes('[contact-form-7 id="12" title="Contact"]', context)
    assert "contact-form-7" in single and "niet is overgenomen" in single
    assert "[" not in single and "]" not in single
    assert context.unknown == {"note": 1, "contact-form-7": 1}


def test_brackets_in_prose_and_escaped_shortcodes_stay_text():
    assert render_shortcodes("Dit is [sic] fout en dit [1] ook.") == \
        "Dit is [sic] fout en dit [1] ook."
    assert render_shortcodes("Typ [[gallery]] voor een galerij.") == \
        "Typ [gallery] voor een galerij."


def test_code_shortcode_shows_its_content_literally():
    html = render_shortcodes('[code lang="php"]<?php echo "a < b"; ?>[/code]')
    assert html == "<pre><code>&lt;?php echo &quot;a &lt; b&quot;; ?&gt;</code></pre>"


def test_nested_shortcodes_are_rendered_inside_out():
    html = render_shortcodes("[note][caption]<img src=\"a.jpg\"> Onderschrift[/caption][/note]")
    assert html.startswith('<figure class="wp-caption"><img src="a.jpg">')


# --- a whole body --------------------------------------------------------------------------

def test_a_classic_body_reads_as_it_did_on_wordpress():
    raw = ("Eerste alinea.\nMet een regel.\n\n[caption]<img src=\"https://old.example/a.jpg\">"
           " Onderschrift[/caption]\n\nhttps://vimeo.com/123\n\n<ol>\n<li>een</li>\n</ol>")
    html = body_to_html(raw)
    assert html.startswith("<p>Eerste alinea.<br>\nMet een regel.</p>")
    assert '<figure class="wp-caption"><img src="https://old.example/a.jpg">' in html
    assert "<figcaption>Onderschrift</figcaption></figure>" in html
    assert '<p><a href="https://vimeo.com/123">https://vimeo.com/123</a></p>' in html
    assert "<ol>\n<li>een</li>\n</ol>" in html


def test_a_block_editor_body_is_not_autopd_again():
    raw = ("<!-- wp:paragraph -->\n<p>Een alinea\nmet een zachte regel.</p>\n"
           "<!-- /wp:paragraph -->\n\n<!-- wp:list -->\n<ul><li>een</li></ul>\n<!-- /wp:list -->")
    html = body_to_html(raw)
    assert "<br" not in html and "wp:paragraph" not in html
    assert "<p>Een alinea\nmet een zachte regel.</p>" in html and "<ul><li>een</li></ul>" in html


def test_the_more_tag_leaves_no_empty_paragraph():
    assert body_to_html("Inleiding.\n\n<!--more-->\n\nVervolg.") == \
        "<p>Inleiding.</p>\n<p>Vervolg.</p>"


def test_frames_become_links_to_what_they_showed():
    html = body_to_html('<iframe src="https://www.youtube.com/embed/abc" width="560"></iframe>'
                        '\n\n<object data="https://old.example/film.swf"></object>')
    assert '<a href="https://www.youtube.com/watch?v=abc">' in html
    assert '<a href="https://old.example/film.swf">' in html
    assert "iframe" not in html and "object" not in html


@pytest.mark.parametrize("raw, expected", [
    ("<h1>Groot</h1>\n<h2>Kleiner</h2>", "<h2>Groot</h2>\n<h3>Kleiner</h3>"),
    ("<h3>Kop</h3>\n<h5>Sub</h5>", "<h2>Kop</h2>\n<h3>Sub</h3>"),
    ("<h2>Kop</h2>\n<h3>Sub</h3>", "<h2>Kop</h2>\n<h3>Sub</h3>"),
])
def test_headings_start_below_the_page_title_without_gaps(raw, expected):
    assert body_to_html(raw) == expected


def test_pictures_of_imported_attachments_point_at_their_new_files():
    ref = AttachmentRef(url="https://old.example/wp-content/uploads/2010/12/x.jpg",
                        image_src="/media/x-800.jpg", image_full="/media/x-1600.jpg")

    def lookup(url):
        return ref if resized_key(url)[0] == "2010/12/x.jpg" else None

    raw = ('<a href="https://old.example/wp-content/uploads/2010/12/x.jpg">'
           '<img src="https://old.example/wp-content/uploads/2010/12/x-300x200.jpg" '
           'srcset="https://old.example/wp-content/uploads/2010/12/x-1024x768.jpg 1024w" '
           'alt="X"></a> <img src="https://elders.example/y.jpg" alt="Y">')
    html = body_to_html(raw, lookup=lookup)
    assert '<a href="/media/x-1600.jpg"><img src="/media/x-800.jpg" alt="X"></a>' in html
    assert 'src="https://elders.example/y.jpg"' in html and "srcset" not in html


def test_links_to_this_very_site_become_relative():
    html = body_to_html('<a href="https://welzijn.test/pagina/over/">over</a>',
                        site_url="https://welzijn.test")
    assert '<a href="/pagina/over/">over</a>' in html


HOSTILE = [
    "<script>alert(1)</script>tekst",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">klik</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '[caption caption="<img src=x onerror=alert(1)>"]<img src="a.jpg" onload="x()">[/caption]',
    "[embed]javascript:alert(1)[/embed]",
    '[video src="javascript:alert(1)"]',
    '[gallery ids="1"]',
    '<svg onload="alert(1)"><circle/></svg>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<div style="x" onmouseover="alert(1)">x</div>',
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_wordpress_content_comes_out_inert(raw):
    context = ShortcodeContext(attachments={"1": AttachmentRef(url="javascript:alert(1)")})
    html = body_to_html(raw, context=context)
    assert_inert(html)
    assert "javascript:" not in html.lower()


def test_wordpress_markup_this_site_now_allows_survives_sanitising():
    raw = ("<dl><dt>WMO</dt><dd>Wet maatschappelijke ondersteuning</dd></dl>\n"
           "<table><caption>Cijfers</caption><tbody><tr><td>1</td></tr></tbody>"
           "<tfoot><tr><td>totaal</td></tr></tfoot></table>")
    html = content.sanitize_html(raw)
    for tag in ("<dl>", "<dt>", "<dd>", "<caption>", "<tfoot>"):
        assert tag in html


# --- titles and comments -------------------------------------------------------------------

def test_titles_are_text_without_the_script():
    assert plain_text("Kop &amp; staart <script>alert(1)</script><em>nu</em>") == \
        "Kop & staart nu"


def test_comment_html_becomes_plain_text_that_keeps_links_and_paragraphs():
    raw = ('Wat een <strong>goed</strong> stuk.\n\nLees <a href="https://anna.example/">'
           'mijn blog</a> &amp; <a href="https://x.example/">https://x.example/</a>'
           "<script>alert(1)</script><p>Slot</p>")
    assert comment_to_text(raw) == (
        "Wat een goed stuk.\n\nLees mijn blog (https://anna.example/) & "
        "https://x.example/\n\nSlot"
    )


def test_comment_text_round_trips_through_wordpress_comment_content():
    text = "Is a < b & c > d?\n\nJa: <b>zeker</b>."
    assert comment_to_text(text_to_comment_html(text)) == text


def test_export_html_keeps_wordpress_from_adding_line_breaks():
    stored = "<p>Een zin\ndie doorloopt.</p>\n<p>Met<br>\nregel.</p>\n<ul>\n<li>a</li>\n</ul>"
    exported = html_for_wordpress(stored)
    assert exported == "<p>Een zin die doorloopt.</p>\n<p>Met<br>\nregel.</p>\n<ul>\n<li>a</li>\n</ul>"
    assert content.sanitize_html(autop(exported)).strip() == \
        "<p>Een zin die doorloopt.</p>\n<p>Met<br>\nregel.</p>\n<ul>\n<li>a</li>\n</ul>"
