"""Read a WXR file (WordPress eXtended RSS 1.0, 1.1, 1.2) as a stream of small records.

The file is parsed with `defusedxml`'s `iterparse` (ElementTree's, but refusing entity
declarations and external references: a file that defines entities could expand a few
kilobytes into gigabytes, the "billion laughs"); every author, term and item is
turned into a record as soon as its end tag is read and then removed from the tree, so a
large export never has to fit in memory.

WordPress and WordPress.com write the namespaces in several forms (`http://` and
`https://`, export/1.0 … 1.2, with or without the trailing slash): a namespace is recognised
by what follows the scheme, and elements are named here by their usual prefix ("wp:post_id").
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _


class WxrError(Exception):
    """The file cannot be read as a WordPress export; the message says why (in Dutch)."""


_NAMESPACE_PREFIXES = [
    (re.compile(r"wordpress\.(?:org|com)/export/\d+\.\d+/excerpt"), "excerpt"),
    (re.compile(r"wordpress\.(?:org|com)/export/\d+\.\d+"), "wp"),
    (re.compile(r"purl\.org/rss/1\.0/modules/content"), "content"),
    (re.compile(r"purl\.org/dc/elements/1\.1"), "dc"),
    (re.compile(r"wellformedweb\.org/commentapi", re.IGNORECASE), "wfw"),
]
_names: dict[str, str] = {}


def element_name(tag: str) -> str:
    """'{https://wordpress.org/export/1.2/}post_id' → 'wp:post_id'; unknown ones unchanged."""
    name = _names.get(tag)
    if name is None:
        name = tag
        if tag.startswith("{"):
            uri, _sep, local = tag[1:].partition("}")
            bare = re.sub(r"^[a-z][a-z0-9+.-]*://", "", uri.strip(), flags=re.IGNORECASE)
            bare = bare.rstrip("/")
            for pattern, prefix in _NAMESPACE_PREFIXES:
                if pattern.fullmatch(bare):
                    name = f"{prefix}:{local}"
                    break
        _names[tag] = name
    return name


@dataclass(slots=True)
class Channel:
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass(slots=True)
class Author:
    login: str = ""
    id: str = ""
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass(slots=True)
class Term:
    """A category or tag, in the channel header (`wp:category`, `wp:tag`) or on an item."""

    domain: str = ""  # "category", "post_tag" (WXR 1.0: "tag"), or another taxonomy
    slug: str = ""
    name: str = ""
    parent: str = ""
    description: str = ""


@dataclass(slots=True)
class Comment:
    id: str = ""
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: str = ""
    user_id: str = ""


@dataclass(slots=True)
class Item:
    title: str = ""
    link: str = ""
    pub_date: str = ""
    creator: str = ""
    guid: str = ""
    description: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    comment_status: str = ""
    ping_status: str = ""
    post_name: str = ""
    status: str = ""
    post_parent: str = ""
    menu_order: str = ""
    post_type: str = ""
    post_password: str = ""
    is_sticky: str = ""
    attachment_url: str = ""
    terms: list[Term] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


_CHANNEL_FIELDS = {
    "title": "title", "link": "link", "description": "description", "language": "language",
    "wp:wxr_version": "wxr_version", "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
}
_AUTHOR_FIELDS = {
    "wp:author_login": "login", "wp:author_id": "id", "wp:author_email": "email",
    "wp:author_display_name": "display_name", "wp:author_first_name": "first_name",
    "wp:author_last_name": "last_name",
}
_TERM_FIELDS = {
    "wp:category_nicename": "slug", "wp:cat_name": "name", "wp:category_parent": "parent",
    "wp:category_description": "description", "wp:tag_slug": "slug", "wp:tag_name": "name",
    "wp:tag_description": "description", "wp:term_slug": "slug", "wp:term_name": "name",
    "wp:term_parent": "parent", "wp:term_description": "description",
    "wp:term_taxonomy": "domain",
}
_COMMENT_FIELDS = {
    "wp:comment_id": "id", "wp:comment_author": "author",
    "wp:comment_author_email": "author_email", "wp:comment_author_url": "author_url",
    "wp:comment_author_IP": "author_ip", "wp:comment_date": "date",
    "wp:comment_date_gmt": "date_gmt", "wp:comment_content": "content",
    "wp:comment_approved": "approved", "wp:comment_type": "type",
    "wp:comment_parent": "parent", "wp:comment_user_id": "user_id",
}
_ITEM_FIELDS = {
    "title": "title", "link": "link", "pubDate": "pub_date", "dc:creator": "creator",
    "guid": "guid", "description": "description", "content:encoded": "content",
    "excerpt:encoded": "excerpt", "wp:post_id": "post_id", "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt", "wp:comment_status": "comment_status",
    "wp:ping_status": "ping_status", "wp:post_name": "post_name", "wp:status": "status",
    "wp:post_parent": "post_parent", "wp:menu_order": "menu_order",
    "wp:post_type": "post_type", "wp:post_password": "post_password",
    "wp:is_sticky": "is_sticky", "wp:attachment_url": "attachment_url",
}
# Free text keeps its whitespace; every other field is trimmed.
_VERBATIM = {"content", "excerpt", "description", "title"}


def _fill(record, element, fields: dict[str, str]) -> None:
    for child in element:
        attribute = fields.get(element_name(child.tag))
        if attribute is not None:
            text = child.text or ""
            setattr(record, attribute, text if attribute in _VERBATIM else text.strip())


def _term(element, domain: str) -> Term:
    term = Term(domain=domain)
    _fill(term, element, _TERM_FIELDS)
    return term


def _comment(element) -> Comment:
    comment = Comment()
    _fill(comment, element, _COMMENT_FIELDS)
    return comment


def _item(element) -> Item:
    item = Item()
    for child in element:
        name = element_name(child.tag)
        attribute = _ITEM_FIELDS.get(name)
        if attribute is not None:
            text = child.text or ""
            setattr(item, attribute, text if attribute in _VERBATIM else text.strip())
        elif name == "category":
            domain = child.get("domain")
            item.terms.append(Term(
                domain="category" if domain is None else domain,
                slug=(child.get("nicename") or "").strip(),
                name=(child.text or "").strip(),
            ))
        elif name == "wp:postmeta":
            key = value = ""
            for part in child:
                part_name = element_name(part.tag)
                if part_name == "wp:meta_key":
                    key = (part.text or "").strip()
                elif part_name == "wp:meta_value":
                    value = part.text or ""
            if key:
                item.meta.setdefault(key, value)
        elif name == "wp:comment":
            item.comments.append(_comment(child))
    return item


_INVALID_XML_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class _CleanStream:
    """Drops what XML 1.0 forbids but WordPress exports contain now and then.

    Control characters pasted into posts, and blank lines a plugin printed before the
    `<?xml` declaration. Byte-wise removal is safe for UTF-8: these bytes never occur
    inside a multi-byte sequence.
    """

    def __init__(self, raw):
        self.raw = raw
        self.started = False

    def read(self, size=-1):
        while True:
            data = self.raw.read(size)
            if not data:
                return data
            if not self.started:
                bom = data.startswith(b"\xef\xbb\xbf")
                data = data[3:] if bom else data
                data = data.lstrip(b" \t\r\n")
                if not data:
                    continue
                self.started = True
            data = _INVALID_XML_BYTES.sub(b"", data)
            if data:
                return data


_TOP_LEVEL = {"item", "wp:author", "wp:category", "wp:tag", "wp:term"}


def read(path) -> Iterator[Channel | Author | Term | Item]:
    """Yield the channel header first, then every author, term and item in file order."""
    with open(path, "rb") as raw:
        yield from _records(_CleanStream(raw))


def _records(stream) -> Iterator[Channel | Author | Term | Item]:
    channel = Channel()
    channel_element = None
    channel_sent = False
    seen_wordpress = False
    depth = 0
    try:
        for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=False):
            if event == "start":
                depth += 1
                name = element_name(element.tag)
                if depth == 1 and name != "rss":
                    raise WxrError(_("Dit is geen WordPress-export (WXR): het bestand begint "
                                     "met <%(tag)s> in plaats van <rss>.") % {"tag": name})
                if depth == 2 and name == "channel":
                    channel_element = element
                elif depth == 3 and name in _TOP_LEVEL and not channel_sent:
                    channel_sent = True
                    yield channel
                continue
            depth -= 1
            if depth != 2 or channel_element is None:
                continue
            name = element_name(element.tag)
            if name.startswith("wp:"):
                seen_wordpress = True
            if name == "item":
                record = _item(element)
                seen_wordpress = seen_wordpress or bool(record.post_id or record.post_type)
                channel_element.remove(element)
                yield record
                continue
            if name == "wp:author":
                author = Author()
                _fill(author, element, _AUTHOR_FIELDS)
                yield author
            elif name == "wp:category":
                yield _term(element, "category")
            elif name == "wp:tag":
                yield _term(element, "post_tag")
            elif name == "wp:term":
                yield _term(element, "")
            elif name in _CHANNEL_FIELDS:
                setattr(channel, _CHANNEL_FIELDS[name], (element.text or "").strip())
            channel_element.remove(element)
    except DefusedXmlException as exc:
        raise WxrError(
            _("Het bestand definieert eigen XML-entiteiten of verwijst naar externe bestanden; "
              "een WordPress-export doet dat nooit, dus het is geweigerd.")
        ) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        raise WxrError(
            _("Het bestand is geen geldige XML (regel %(line)s, kolom %(column)s): %(error)s")
            % {"line": line, "column": column + 1, "error": str(exc).split(":")[0]}
        ) from exc
    if channel_element is None:
        raise WxrError(_("Dit is geen WordPress-export (WXR): er is geen <channel>."))
    if not channel_sent:
        yield channel
    if not seen_wordpress and not channel.wxr_version:
        raise WxrError(_("Dit is een RSS-feed, geen WordPress-export (WXR): er staan geen "
                         "wp:-gegevens in."))
