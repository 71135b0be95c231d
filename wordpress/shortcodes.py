"""WordPress shortcodes ([caption], [gallery], [embed], …) into plain HTML.

The new site runs no shortcodes, so none may reach a reader as raw brackets. Each known one
becomes what it showed on the old site as far as this site can show it without scripts or
frames: a figure with its caption, a grid of imported pictures, a link to the video or
sound. An unknown enclosing one keeps its content; an unknown one without content becomes
a visible placeholder (and is counted for the import report).

What counts as a shortcode: a known name, or `[name …]` with attributes, or `[name/]`, or a
`[name]…[/name]` pair. A bare `[word]` in prose ("[sic]", "[gastblog]") is text, as it was
on the old site when no plugin claimed it. `[[name]]` is WordPress's escape for a literal
`[name]`.
"""

import html
import posixpath
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp"}


@dataclass(slots=True)
class AttachmentRef:
    """What a shortcode or a body needs to know of one imported attachment."""

    url: str
    title: str = ""
    alt: str = ""
    caption: str = ""
    parent: str = ""
    image_src: str = ""  # the new site's picture (a rendition for the body), if it came along
    image_full: str = ""  # its largest rendition, for links to the full picture
    width: int | None = None
    height: int | None = None

    @property
    def src(self) -> str:
        return self.image_src or self.url

    @property
    def is_image(self) -> bool:
        extension = posixpath.splitext(urlsplit(self.url).path)[1].lower()
        return bool(self.image_src) or extension in IMAGE_EXTENSIONS


@dataclass
class ShortcodeContext:
    post_id: str = ""
    attachments: Mapping[str, AttachmentRef] = field(default_factory=dict)
    children: Mapping[str, list[str]] = field(default_factory=dict)
    unknown: Counter = field(default_factory=Counter)
    placeholders: int = 0


_OPEN = re.compile(r"\[(\[?)([A-Za-z][\w-]*)(?![\w-])([^\]]*?)(/?)\](\]?)")
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)"""
)
_WEB_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)

_VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")
_AUDIO_SOURCES = ("src", "mp3", "ogg", "oga", "m4a", "wav", "wma", "flac")
_EMBED_NAMES = {
    "embed", "youtube", "vimeo", "dailymotion", "soundcloud", "slideshare", "spotify",
    "twitter", "tweet", "instagram", "flickr", "googlemaps", "googlevideo", "ted", "scribd",
    "issuu", "mixcloud", "kickstarter",
}
_CODE_NAMES = {"code", "sourcecode", "source", "sourcecode_block", "php", "html", "css", "js"}
_KNOWN = (
    {"caption", "wp_caption", "gallery", "video", "audio", "playlist", "latex"}
    | _EMBED_NAMES | _CODE_NAMES
)
# Single-word shortcodes of common plugins that are usually written without attributes.
_PLUGIN_NAMES = {
    "toc", "sitemap", "archives", "contact-form", "contact_form", "contactform", "wpforms",
    "mc4wp_form", "polldaddy", "slideshow", "recent-posts", "recent_posts", "subscribe",
    "instagram-feed", "custom-facebook-feed", "ninja_forms", "gravityform", "wpgmza",
}


def parse_attributes(raw: str) -> tuple[dict[str, str], list[str]]:
    """WordPress's attribute rules: name="v", name='v', name=v, "v", 'v' and bare v."""
    raw = raw.strip()
    named: dict[str, str] = {}
    positional: list[str] = []
    if raw.startswith("="):  # WordPress.com: [youtube=https://…]
        positional.append(html.unescape(raw[1:].strip()))
        return named, positional
    raw = raw.replace("\xa0", " ").replace("\u200b", " ")
    for match in _ATTRIBUTE.finditer(raw):
        groups = match.groups()
        if groups[0]:
            named[groups[0].lower()] = html.unescape(groups[1])
        elif groups[2]:
            named[groups[2].lower()] = html.unescape(groups[3])
        elif groups[4]:
            named[groups[4].lower()] = html.unescape(groups[5])
        else:
            value = next((g for g in groups[6:] if g is not None), "")
            if value and value != "/":
                positional.append(html.unescape(value))
    return named, positional


def _escape(value: str) -> str:
    return html.escape(value, quote=True)


def _web_url(value: str) -> str:
    value = (value or "").strip()
    return value if _WEB_URL.fullmatch(value) else ""


def _file_label(url: str) -> str:
    name = posixpath.basename(urlsplit(url).path)
    return name or url


class _Renderer:
    def __init__(self, context: ShortcodeContext):
        self.context = context

    def render(self, text: str) -> str:
        if "[" not in text:
            return text
        out: list[str] = []
        position = 0
        while True:
            match = _OPEN.search(text, position)
            if match is None:
                out.append(text[position:])
                return "".join(out)
            out.append(text[position:match.start()])
            name = match.group(2)
            raw_attributes, self_closing = match.group(3), bool(match.group(4))
            closing_tag = f"[/{name}]"

            if match.group(1):  # [[name]] or [[name]…[/name]]: a literal shortcode
                close = text.find(closing_tag + "]", match.end())
                if close != -1 and not match.group(5):
                    out.append(text[match.start() + 1:close + len(closing_tag)])
                    position = close + len(closing_tag) + 1
                elif match.group(5):
                    out.append(match.group(0)[1:-1])
                    position = match.end()
                else:
                    out.append("[")
                    position = match.start() + 1
                continue

            close = -1 if self_closing else text.find(closing_tag, match.end())
            enclosing = close != -1
            key = name.lower()
            is_shortcode = (
                key in _KNOWN or key in _PLUGIN_NAMES or enclosing or self_closing
                or "=" in raw_attributes or '"' in raw_attributes
            )
            if not is_shortcode:
                out.append("[")
                position = match.start() + 1
                continue
            named, positional = parse_attributes(raw_attributes)
            inner = text[match.end():close] if enclosing else ""
            out.append(self.shortcode(key, named, positional, inner, enclosing))
            position = close + len(closing_tag) if enclosing else match.end()
            if match.group(5) and not enclosing:
                out.append("]")

    # --- one shortcode ----------------------------------------------------------------------
    def shortcode(self, name, named, positional, inner, enclosing) -> str:
        if name in {"caption", "wp_caption"}:
            return self.caption(named, inner)
        if name == "gallery":
            return self.gallery(named)
        if name == "video":
            return self.media(named, inner, _VIDEO_SOURCES, _("Video"))
        if name == "audio":
            return self.media(named, inner, _AUDIO_SOURCES, _("Geluidsfragment"))
        if name in _CODE_NAMES:
            return "<pre><code>" + _escape(html.unescape(inner.strip("\n"))) + "</code></pre>"
        if name == "latex":
            return "<code>" + _escape(html.unescape(inner.strip())) + "</code>"
        if name in _EMBED_NAMES:
            url = _web_url(inner) or self.first_url(named, positional)
            if url:
                return self.link(url, url)
            return self.placeholder(name)
        # Unknown: keep what it wrapped, or point at what it showed, or say it is gone.
        self.context.unknown[name] += 1
        if enclosing and inner.strip():
            return self.render(inner)
        url = self.first_url(named, positional)
        if url:
            return self.link(url, url)
        return self.placeholder(name)

    def first_url(self, named, positional) -> str:
        for key in ("url", "src", "href", "link", "id"):
            url = _web_url(named.get(key, ""))
            if url:
                return url
        return next((_web_url(v) for v in positional if _web_url(v)), "")

    def link(self, url: str, label: str) -> str:
        return f'<p><a href="{_escape(url)}">{_escape(label)}</a></p>'

    def placeholder(self, name: str) -> str:
        self.context.placeholders += 1
        message = _("Hier stond iets van de oude WordPress-site (%(name)s) dat niet is "
                    "overgenomen.") % {"name": name}
        return f'<span class="wp-shortcode-missing">({_escape(message)})</span>'

    def caption(self, named, inner) -> str:
        content = self.render(inner).strip()
        caption = named.get("caption", "")
        media = content
        if not caption:
            found = re.match(
                r"((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)\Z", content,
                re.DOTALL | re.IGNORECASE,
            )
            if found:
                media, caption = found.group(1), found.group(2)
        else:
            caption = _escape(caption)
        align = named.get("align", "")
        classes = "wp-caption"
        if re.fullmatch(r"align(?:left|right|center|none)", align):
            classes += " " + align
        caption = " ".join(caption.split())
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        # One line: autop must not put <br>s inside the figure.
        return f'<figure class="{classes}">{" ".join(media.split())}{figcaption}</figure>'

    def gallery(self, named) -> str:
        ids_text = named.get("ids") or named.get("include") or ""
        if ids_text:
            ids = [part.strip() for part in ids_text.split(",") if part.strip()]
        else:
            parent = named.get("id") or self.context.post_id
            ids = list(self.context.children.get(parent, []))
        excluded = {part.strip() for part in named.get("exclude", "").split(",")}
        pictures = [
            self.context.attachments[i] for i in ids
            if i in self.context.attachments and i not in excluded
            and self.context.attachments[i].is_image
        ]
        if not pictures:
            self.context.placeholders += 1
            message = _("Hier stond een fotogalerij; de foto's zijn niet meegekomen.")
            return f'<span class="wp-shortcode-missing">({_escape(message)})</span>'
        figures = []
        for picture in pictures:
            size = ""
            if picture.width and picture.height:
                size = f' width="{picture.width}" height="{picture.height}"'
            alt = picture.alt or picture.title
            caption = f"<figcaption>{_escape(picture.caption)}</figcaption>" if picture.caption \
                else ""
            figures.append(
                f'<figure class="gallery-item"><img src="{_escape(picture.src)}" '
                f'alt="{_escape(alt)}"{size} loading="lazy">{caption}</figure>'
            )
        return '<div class="gallery">' + "".join(figures) + "</div>"

    def media(self, named, inner, sources, label) -> str:
        url = next((_web_url(named.get(key, "")) for key in sources if _web_url(named.get(key, ""))),
                   "") or _web_url(inner)
        if not url:
            return self.placeholder(label.lower())
        return self.link(url, f"{label}: {_file_label(url)}")


def render_shortcodes(text: str, context: ShortcodeContext | None = None) -> str:
    """Every shortcode in `text` replaced by HTML (see the module docstring)."""
    return _Renderer(context or ShortcodeContext()).render(text)
