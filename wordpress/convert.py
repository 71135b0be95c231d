"""A WordPress body, title or comment into what this site stores, and back for the export.

A post body goes: lone URLs and frames → links, shortcodes → HTML, autop (classic posts
only: block-editor posts are HTML already), <h1> demoted below the page title, pictures of
imported attachments pointed at their new files, then `blog.content.sanitize_html` (the one
allow-list). Comments are plain text on this site: their bit of WordPress HTML becomes text.
"""

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlsplit

from core import content
from wordpress.autop import BLOCK_TAGS, autop
from wordpress.shortcodes import AttachmentRef, ShortcodeContext, render_shortcodes

MediaLookup = Callable[[str], AttachmentRef | None]

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL | re.IGNORECASE)
_LONE_URL = re.compile(r"^([ \t]*)(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE | re.IGNORECASE)
_SCRIPT = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_IFRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe\s*>|<iframe\b([^>]*)/?>", re.DOTALL | re.IGNORECASE)
_OBJECT = re.compile(r"<object\b.*?</object\s*>", re.DOTALL | re.IGNORECASE)
_EMBED = re.compile(r"<embed\b([^>]*)>(?:\s*</embed>)?", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_A_OPEN = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_SIZE_SUFFIX = re.compile(r"-(\d+)x(\d+)(\.[A-Za-z0-9]+)$")


def attributes(tag: str) -> dict[str, str]:
    return {
        name.lower(): html.unescape(value[1:-1] if value[:1] in "\"'" else value)
        for name, value in _ATTRIBUTE.findall(tag)
    }


def _web_url(value: str) -> str:
    value = (value or "").strip()
    if value.startswith("//"):
        value = "https:" + value
    return value if re.match(r"https?://", value, re.IGNORECASE) else ""


def _friendly_video_url(url: str) -> str:
    """A player address (youtube.com/embed/ID) as the page a reader can open."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if host.endswith(("youtube.com", "youtube-nocookie.com")) and parts.path.startswith("/embed/"):
        return "https://www.youtube.com/watch?v=" + parts.path.split("/")[2]
    if host == "player.vimeo.com" and parts.path.startswith("/video/"):
        return "https://vimeo.com/" + parts.path.split("/")[2]
    return url


def _link(url: str) -> str:
    url = _friendly_video_url(url)
    escaped = html.escape(url, quote=True)
    return f'<p><a href="{escaped}">{escaped}</a></p>'


def _frames_to_links(text: str) -> str:
    """Frames and plug-ins cannot run here (no third-party frames, CSP): link to them."""

    def iframe(match):
        url = _web_url(attributes(match.group(1) or match.group(2) or "").get("src", ""))
        return _link(url) if url else ""

    def plugin(match):
        found = attributes(match.group(0))
        url = _web_url(found.get("src", "")) or _web_url(found.get("data", ""))
        if not url:
            for tag in re.findall(r"<(?:param|embed)\b[^>]*>", match.group(0), re.IGNORECASE):
                values = attributes(tag)
                url = _web_url(values.get("src", "")) or _web_url(values.get("value", ""))
                if url:
                    break
        return _link(url) if url else ""

    text = _IFRAME.sub(iframe, text)
    text = _OBJECT.sub(plugin, text)
    return _EMBED.sub(plugin, text)


def _lone_urls_to_links(text: str) -> str:
    """WordPress embeds a URL that stands alone on a line; here it becomes a link."""
    parts = _PRE.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = _LONE_URL.sub(lambda m: m.group(1) + _link(m.group(2)), parts[i])
    return "".join(parts)


def _renumber_headings(text: str) -> str:
    """The page title is the only <h1>: the body's headings start at <h2>, without gaps
    (the levels it uses are renumbered in order, as for Markdown bodies)."""
    levels = sorted({int(level) for level in re.findall(r"<h([1-6])[\s>]", text, re.IGNORECASE)})
    renumbered = {level: min(2 + rank, 6) for rank, level in enumerate(levels)}
    if all(level == new for level, new in renumbered.items()):
        return text
    return re.sub(
        r"<(/?)h([1-6])(?=[\s>])",
        lambda m: f"<{m.group(1)}h{renumbered.get(int(m.group(2)), int(m.group(2)))}",
        text,
        flags=re.IGNORECASE,
    )


def media_key(url: str) -> str:
    """The part of an upload's address that names the file: 'wp-content/uploads/2010/12/x.jpg'
    and 'https://x.files.wordpress.com/2010/12/x.jpg' both give '2010/12/x.jpg'."""
    path = urlsplit((url or "").strip()).path
    marker = path.lower().rfind("/uploads/")
    if marker != -1:
        path = path[marker + len("/uploads/"):]
    elif path.startswith("/files/"):  # old multisite uploads
        path = path[len("/files/"):]
    return path.strip("/").lower()


def resized_key(url: str) -> tuple[str, int | None]:
    """'2010/12/x-300x200.jpg' → ('2010/12/x.jpg', 300): WordPress's resized copies."""
    key = media_key(url)
    found = _SIZE_SUFFIX.search(key)
    if not found:
        return key, None
    return key[: found.start()] + found.group(3), int(found.group(1))


def _rewrite_media(text: str, lookup: MediaLookup) -> str:
    """Pictures of imported attachments now come from this site, not the old one."""

    def replace_attribute(tag: str, name: str, value: str) -> str:
        pattern = re.compile(rf"""(\s{name}\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
        return pattern.sub(lambda m: m.group(1) + '"' + html.escape(value, quote=True) + '"',
                           tag, count=1)

    def img(match):
        tag = match.group(0)
        found = attributes(tag)
        ref = lookup(found.get("src", ""))
        if ref is None or not ref.image_src:
            return tag
        tag = replace_attribute(tag, "src", ref.image_src)
        # The old site's resized copies are not here; the stored renditions are.
        tag = re.sub(r"""\s(?:srcset|sizes)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", "", tag,
                     flags=re.IGNORECASE)
        return tag

    def anchor(match):
        tag = match.group(0)
        ref = lookup(attributes(tag).get("href", ""))
        if ref is None or not ref.image_full:
            return tag
        return replace_attribute(tag, "href", ref.image_full)

    text = _IMG.sub(img, text)
    return _A_OPEN.sub(anchor, text)


_LOCAL_URL = re.compile(r"""(\s(?:src|href)\s*=\s*["'])/(?!/)""", re.IGNORECASE)


def absolute_links(markup: str, base: str) -> str:
    """`href="/x/"` → `href="https://site/x/"`: for content that leaves this site."""
    return _LOCAL_URL.sub(lambda m: m.group(1) + base.rstrip("/") + "/", markup or "")


def relative_links(markup: str, base: str) -> str:
    """The reverse, for content coming in: links to this very site stay on it."""
    base = (base or "").rstrip("/")
    if not base:
        return markup
    pattern = re.compile(rf"""(\s(?:src|href)\s*=\s*["']){re.escape(base)}/""", re.IGNORECASE)
    return pattern.sub(lambda m: m.group(1) + "/", markup)


_LINK_ATTRIBUTE = re.compile(r"""(\s(?:href|src)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""",
                             re.IGNORECASE)


def rewrite_links(markup: str, resolve: Callable[[str], str | None]) -> str:
    """Every `href` and `src` value passed through `resolve`: a new address, or None to keep
    it. Values are unescaped before and escaped after, so this is safe on stored HTML."""

    def replace(match):
        raw = match.group(2)
        value = html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw)
        new = resolve(value)
        if new is None or new == value:
            return match.group(0)
        return match.group(1) + '"' + html.escape(new, quote=True) + '"'

    return _LINK_ATTRIBUTE.sub(replace, markup or "")


def body_to_html(raw: str, *, context: ShortcodeContext | None = None,
                 lookup: MediaLookup | None = None, sanitize: bool = True,
                 site_url: str = "", links: Callable[[str], str | None] | None = None) -> str:
    """A WordPress post body as the sanitised HTML this site stores in `body_html`.

    `sanitize=False` is for callers that save it on a Post or Page, whose save() sanitises.
    `site_url`: links to this address become relative (they point at this very site).
    `links`: a resolver for `rewrite_links` (links into the old site → their new addresses).
    """
    if not raw or not raw.strip():
        return ""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    block_editor = "<!-- wp:" in text
    # <!--more-->, <!--nextpage--> and the block editor's markers show nothing: drop them
    # before autop, which would otherwise leave an empty paragraph where they stood.
    text = _HTML_COMMENT.sub("", text)
    text = _SCRIPT.sub("", text)
    text = _frames_to_links(text)
    text = render_shortcodes(text, context)
    text = _lone_urls_to_links(text)
    if not block_editor:
        text = autop(text)
    text = _renumber_headings(text)
    if lookup is not None:
        text = _rewrite_media(text, lookup)
    if links is not None:
        text = rewrite_links(text, links)
    if site_url:
        text = relative_links(text, site_url)
    return content.sanitize_html(text).strip() if sanitize else text.strip()


def plain_text(raw: str | None) -> str:
    """A title or excerpt: text only (no script's text either), entities decoded, whitespace
    collapsed."""
    raw = raw or ""
    if "<" not in raw and "&" not in raw:  # most titles and names: no markup to strip
        return " ".join(raw.split())
    return content.strip_tags(_SCRIPT.sub("", raw))


# --- comments ---------------------------------------------------------------------------

_BLOCK_NAMES = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p",
    "pre", "section", "table", "td", "th", "tr", "ul",
}


class _CommentText(HTMLParser):
    """Comment HTML → text: paragraphs stay paragraphs, a link keeps its address."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "noscript", "template"}:
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_NAMES:
            self.parts.append("\n\n")
        elif tag == "a":
            self.links.append((_web_url(dict(attrs).get("href") or ""), len(self.parts)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in {"script", "style", "noscript", "template"}:
            self.skip -= 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "noscript", "template"}:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_NAMES:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            if href and href.rstrip("/") not in label:
                self.parts.append(f" ({href})")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def comment_to_text(raw: str) -> str:
    """A WordPress comment (text with a little HTML) as this site's plain-text body."""
    parser = _CommentText()
    parser.feed((raw or "").replace("\r\n", "\n").replace("\r", "\n"))
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def text_to_comment_html(text: str) -> str:
    """This site's plain-text comment as WordPress comment content (which WordPress autops)."""
    return html.escape(text or "", quote=False)


# --- export -------------------------------------------------------------------------------

_WP_BREAK_SAFE = re.compile(rf"</?(?:{BLOCK_TAGS}|br)\b[^>]*>\s*$", re.IGNORECASE)


def html_for_wordpress(body_html: str) -> str:
    """Stored HTML as WordPress content that its autop shows the same way.

    WordPress turns every newline that is not next to a block tag into a <br>; a newline
    inside a paragraph of this site's HTML is just a space, so it becomes one.
    """
    if not body_html:
        return ""
    parts = _PRE.split(body_html)
    for i in range(0, len(parts), 2):
        segment = parts[i]
        pieces = segment.split("\n")
        out = pieces[0]
        for piece in pieces[1:]:
            before_is_break = bool(_WP_BREAK_SAFE.search(out))
            after_is_block = bool(re.match(rf"\s*</?{BLOCK_TAGS}[\s/>]", piece))
            out += ("\n" if before_is_break or after_is_block or not out.strip() else " ") + piece
        parts[i] = out
    return "".join(parts)
