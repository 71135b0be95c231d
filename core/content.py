"""Everything that turns user text into HTML. Nothing else in the project calls bleach.

- Post bodies and intros: Markdown → HTML → sanitised against one allow-list.
- Imported HTML (WordPress): sanitised against the same allow-list.
- Comments and bios: plain text. Escaped, split into paragraphs, URLs made into links with
  rel="nofollow ugc noopener". No HTML a commenter types ever renders as HTML.
"""

import html
import re

import bleach
import markdown
from bleach.html5lib_shim import HTML_TAGS_BLOCK_LEVEL
from bleach.linkifier import Linker
from lxml import etree
from lxml import html as lxml_html
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "figcaption",
        "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p",
        "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "th",
        "thead", "tr", "u", "ul", "span", "div",
        # WordPress content (imported by blog/wxr): definition lists, table captions/footers.
        "dl", "dt", "dd", "caption", "tfoot",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height", "srcset", "sizes", "loading"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
    "ol": ["start"],
    "figure": ["class"],
    "span": ["class"],
    "div": ["class"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_sanitizer = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


class _DemoteHeadings(Treeprocessor):
    """The page title is the only <h1>: the body's headings start at <h2>, without gaps.

    The levels a text uses are renumbered in order: '# Kop' / '## Sub' become h2 / h3, and
    a text that starts at '## Kop' (as most writers do) gets h2 too, not an h3 under the
    page's h1, which screen-reader users would hear as a skipped level.
    """

    def run(self, root):
        headings = [el for el in root.iter() if re.fullmatch(r"h[1-6]", el.tag)]
        levels = sorted({int(el.tag[1]) for el in headings})
        renumbered = {level: min(2 + rank, 6) for rank, level in enumerate(levels)}
        for element in headings:
            element.tag = f"h{renumbered[int(element.tag[1])]}"


class _DemoteHeadingsExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["sane_lists", "tables", "fenced_code", _DemoteHeadingsExtension()],
        output_format="html",
    )


def sanitize_html(raw: str) -> str:
    """Strip everything not on the allow-list (tags, attributes, script URLs, comments)."""
    if not raw:
        return ""
    return _sanitizer.clean(raw)


def render_markdown(text: str) -> str:
    """Markdown → sanitised HTML. The preview and the published page both use this."""
    if not text or not text.strip():
        return ""
    return sanitize_html(_markdown().convert(text))


def _link_attributes(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if not href.lower().startswith(("http://", "https://", "mailto:")):
        return None  # not a web link: leave the text as text
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


_linker = Linker(callbacks=[_link_attributes], skip_tags={"pre", "code"}, parse_email=False)


# Every address the linkifier recognises has a domain: a word character, a dot, a letter.
_MAYBE_ADDRESS = re.compile(r"[\w-]\.[a-z]", re.IGNORECASE)


def plain_text_to_html(text: str) -> str:
    """Plain text (comments, bios) → escaped paragraphs with clickable web links."""
    if not text or not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    rendered = []
    for paragraph in paragraphs:
        escaped = html.escape(paragraph, quote=True)
        rendered.append("<p>" + escaped.replace("\n", "<br>\n") + "</p>")
    if not _MAYBE_ADDRESS.search(text):
        # Nothing to link: the escaped paragraphs are exactly what linkify and the sanitiser
        # would return (tests/test_content.py holds the two paths to that), at a fraction of
        # the cost: most comments have no address, and an import renders thousands.
        return "\n".join(rendered)
    return _linked_html("\n".join(rendered))


def _linked_html(rendered: str) -> str:
    # Linkify works on the escaped text; the sanitizer then guarantees the allow-list.
    linked = _linker.linkify(rendered)
    return bleach.clean(
        linked,
        tags={"p", "br", "a"},
        attributes={"a": ["href", "rel"]},
        protocols={"http", "https", "mailto"},
        strip=True,
    )


def strip_tags(markup: str) -> str:
    """Text only, for excerpts, feed summaries and search: the text of every element,
    entities decoded, whitespace collapsed.

    Read by libxml2's HTML parser (lxml, in C): bleach's html5lib in Python gave the same text
    at ten times the cost, a tenth of a WordPress import went to the posts' summaries alone
    (tests/test_content.py compares the two). Markup libxml2 refuses goes the old way."""
    if not markup or markup.isspace():
        return ""
    try:
        # libxml2 would turn a NUL into U+FFFD; bleach dropped it.
        root = lxml_html.fragment_fromstring(markup.replace("\x00", ""), create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(html.unescape(bleach.clean(markup, tags=set(), strip=True)).split())
    parts, after_a_tag = [root.text or ""], False
    stack = [(iter(root), None)]
    while stack:
        children, parent = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if parent is not None:
                parts.append(parent.tail or "")
            continue
        if isinstance(child.tag, str):
            # A block after any tag starts a new word, as bleach has it (a browser too).
            if after_a_tag and child.tag in HTML_TAGS_BLOCK_LEVEL:
                parts.append(" ")
            parts.append(child.text or "")
            stack.append((iter(child), child))
        else:  # a comment or processing instruction: only the text after it
            parts.append(child.tail or "")
        after_a_tag = True
    return " ".join("".join(parts).split())


def make_excerpt(markup: str, words: int = 40) -> str:
    parts = strip_tags(markup).split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",.;:") + " …"

