"""Read a WXR file (WordPress eXtended RSS 1.0, 1.1, 1.2) as a stream of small records.

The file is parsed with `defusedxml`'s `iterparse` (ElementTree's, but refusing entity
declarations and external references: a file that defines entities could expand a few
kilobytes into gigabytes, the "billion laughs"); every author, term and item is
turned into a record as soon as its end tag is read and then removed from the tree, so a
large export never has to fit in memory.

A file that is not well-formed XML is read again, as WordPress's importer does, with a
tolerant parser (lxml's `recover=True`, still without entities, DTDs or network access):
old WordPress versions wrote a `]]>` inside post content unescaped, which ends the CDATA
section early. Such a `]]>` is put back into the text before parsing (a CDATA section in a
WXR file always ends right before its element's end tag), and whatever else the tolerant
parser had to repair is listed in `WxrFile.repairs`, with the item it was in.

A file without a valid `wp:wxr_version` is refused before a single record is handed out,
as WordPress refuses it: it is not a WordPress export.

WordPress and WordPress.com write the namespaces in several forms (`http://` and
`https://`, export/1.0 … 1.2, with or without the trailing slash): a namespace is recognised
by what follows the scheme, and elements are named here by their usual prefix ("wp:post_id").
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _
from lxml import etree


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
    id: str = ""
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
    "wp:term_taxonomy": "domain", "wp:term_id": "id",
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
        if not isinstance(child.tag, str):
            continue  # a comment kept by the tolerant parser
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


def _item(element, light: bool = False) -> Item:
    """An item; `light` leaves out its comments and terms (a first pass needs neither)."""
    item = Item()
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = element_name(child.tag)
        attribute = _ITEM_FIELDS.get(name)
        if attribute is not None:
            text = child.text or ""
            setattr(item, attribute, text if attribute in _VERBATIM else text.strip())
        elif light and name in {"category", "wp:comment"}:
            continue
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
                if not isinstance(part.tag, str):
                    continue
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


class _CdataRepair:
    """Puts a `]]>` that old WordPress versions left unescaped inside CDATA back into the text.

    WordPress writes each CDATA section as the whole content of one element, so a CDATA
    section ends right before that element's end tag (or before the next section, when a
    `]]>` was split as `]]]]><![CDATA[>`). A `]]>` followed by anything else is text: it is
    escaped the way WordPress does it nowadays. Streaming: only a few bytes are held back
    between reads. Used only on the second, tolerant reading of a file. A DTD is refused
    here too (the tolerant parser would not expand entities, but a WordPress export never
    has one, so a file that does is not taken in).
    """

    HOLD = 80  # enough to see "]]>" followed by "</wp:comment_content>" or a "<!DOCTYPE"
    _OPEN = b"<![CDATA["
    _START_TAG = re.compile(rb"<([^\s/>!?]+)[^<>]*>\s*$")

    def __init__(self, raw):
        self.raw = raw
        self.pending = b""
        self.out = b""
        self.eof = False
        self.inside: bytes | None = None  # the element whose CDATA section we are in
        self.recent = b""  # the last bytes outside CDATA, to name that element
        self.line = 1
        self.repaired_lines: list[int] = []

    def read(self, size=-1):
        while not self.eof and (size is None or size < 0 or len(self.out) < size):
            chunk = self.raw.read(65536)
            if chunk:
                self.pending += chunk
            else:
                self.eof = True
            self._process()
        if size is None or size < 0:
            data, self.out = self.out, b""
        else:
            data, self.out = self.out[:size], self.out[size:]
        return data

    def _emit(self, data: bytes, *, outside: bool) -> None:
        if outside:
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise DefusedXmlException("DTD in a WXR file")
            self.recent = (self.recent + data)[-256:]
        self.line += data.count(b"\n")
        self.out += data

    def _process(self) -> None:
        data, pos, final = self.pending, 0, self.eof
        while True:
            if self.inside is None:
                start = data.find(self._OPEN, pos)
                if start == -1:
                    keep = 0 if final else min(len(data) - pos, self.HOLD)
                    self._emit(data[pos:len(data) - keep], outside=True)
                    pos = len(data) - keep
                    break
                self._emit(data[pos:start], outside=True)
                found = self._START_TAG.search(self.recent)
                self.inside = found.group(1) if found else b""
                self._emit(self._OPEN, outside=False)
                pos = start + len(self._OPEN)
                continue
            end = data.find(b"]]>", pos)
            if end == -1:
                keep = 0 if final else min(len(data) - pos, 2)
                self._emit(data[pos:len(data) - keep], outside=False)
                pos = len(data) - keep
                break
            after = data[end + 3:end + 3 + self.HOLD]
            if len(after) < self.HOLD and not final:
                self._emit(data[pos:end], outside=False)
                pos = end
                break
            if after.startswith(self._OPEN):  # a split section goes on
                self._emit(data[pos:end + 3 + len(self._OPEN)], outside=False)
                pos = end + 3 + len(self._OPEN)
            elif re.match(rb"\s*</" + re.escape(self.inside) + (rb"[\s>]" if self.inside else b""),
                          after) or (not after.strip() and final):
                self._emit(data[pos:end + 3], outside=False)
                self.inside, self.recent = None, b""
                pos = end + 3
            else:  # a "]]>" that belongs to the text
                self._emit(data[pos:end], outside=False)
                self.repaired_lines.append(self.line)
                self.out += b"]]]]><![CDATA[>"
                pos = end + 3
        self.pending = data[pos:]


@dataclass(frozen=True, slots=True)
class Repair:
    """Something the tolerant reading had to mend: where, what, and in which item."""

    line: int
    message: str
    item_id: str = ""
    item_title: str = ""
    kept: bool = False  # True: the text was kept whole; False: check the item


_TOP_LEVEL = {"item", "wp:author", "wp:category", "wp:tag", "wp:term"}
_VERSION = re.compile(r"\d+\.\d+")


def _record_key(record) -> tuple:
    if isinstance(record, Item):
        return ("item", record.post_id, record.title)
    if isinstance(record, Author):
        return ("author", record.login)
    if isinstance(record, Term):
        return ("term", record.domain, record.slug, record.name)
    return ("channel",)


class WxrFile:
    """A WXR file, read as often as needed: strictly, or tolerantly once that failed.

    `source` is a path, or a callable that opens the file for reading in binary mode (a
    file in the site's storage). After a tolerant reading, `recovered` is True and
    `repairs` says what was mended.
    """

    def __init__(self, source: "str | Path | Callable[[], BinaryIO]"):
        if callable(source):
            self._open = source
        else:
            path = Path(source)
            self._open = lambda: open(path, "rb")
        self.recovered = False
        self.strict_error = ""
        self.repairs: list[Repair] = []

    def records(self, *, light: bool = False) -> Iterator[Channel | Author | Term | Item]:
        """The channel header first, then every author, term and item in file order.
        `light`: items without their comments and terms."""
        handed_out: list[tuple] = []
        if not self.recovered:
            try:
                with self._open() as raw:
                    for record in _records(_strict_events(_CleanStream(raw)), light=light):
                        handed_out.append(_record_key(record))
                        yield record
                return
            except ET.ParseError as exc:
                line, column = exc.position
                self.recovered = True
                self.strict_error = _(
                    "regel %(line)s, kolom %(column)s: %(error)s"
                ) % {"line": line, "column": column + 1, "error": str(exc).split(":")[0]}
        yield from self._tolerant(handed_out, light)

    def _tolerant(self, handed_out: list[tuple], light: bool) -> Iterator:
        with self._open() as raw:
            stream = _CdataRepair(_CleanStream(raw))
            items: list[tuple[int, str, str]] = []  # (first line, id, title) per item
            context = etree.iterparse(
                stream, events=("start", "end"), recover=True, resolve_entities=False,
                no_network=True, load_dtd=False, huge_tree=False, remove_pis=True,
                remove_comments=True,
            )
            skip = len(handed_out)
            try:
                for n, record in enumerate(_records(context, items, light=light)):
                    if n < skip:
                        if _record_key(record) != handed_out[n]:
                            raise WxrError(_("Het bestand is geen geldige XML en kon ook na "
                                             "herstel niet eenduidig gelezen worden (%(error)s).")
                                           % {"error": self.strict_error})
                        continue
                    yield record
            except etree.XMLSyntaxError as exc:
                raise WxrError(_("Het bestand is geen geldige XML (%(error)s) en is ook niet te "
                                 "herstellen.") % {"error": self.strict_error}) from exc
            self.repairs = self._describe(stream, context.error_log, items)

    @staticmethod
    def _describe(stream, error_log, items) -> list[Repair]:
        def item_at(line):
            found = ("", "")
            for first, wp_id, title in items:
                if first > line:
                    break
                found = (wp_id, title)
            return found

        repairs = [
            Repair(line, _("“]]>” midden in de tekst: als tekst bewaard"), *item_at(line),
                   kept=True)
            for line in stream.repaired_lines
        ]
        for entry in error_log:
            if entry.level_name not in {"ERROR", "FATAL"}:
                continue
            repairs.append(Repair(entry.line, entry.message.strip(), *item_at(entry.line)))
        return repairs


def read(path) -> Iterator[Channel | Author | Term | Item]:
    """Yield the channel header first, then every author, term and item in file order."""
    yield from WxrFile(path).records()


def _strict_events(stream):
    try:
        yield from iterparse(stream, events=("start", "end"), forbid_dtd=False)
    except DefusedXmlException as exc:
        raise WxrError(
            _("Het bestand definieert eigen XML-entiteiten of verwijst naar externe bestanden; "
              "een WordPress-export doet dat nooit, dus het is geweigerd.")
        ) from exc


def _check_version(channel: Channel, seen_wordpress: bool) -> None:
    """WordPress refuses a file without a valid WXR version number; so do we."""
    if _VERSION.fullmatch(channel.wxr_version):
        return
    if not seen_wordpress and not channel.wxr_version:
        raise WxrError(_("Dit is een RSS-feed, geen WordPress-export (WXR): er staan geen "
                         "wp:-gegevens in."))
    if channel.wxr_version:
        raise WxrError(_("Dit is geen geldige WordPress-export (WXR): het versienummer "
                         "(wp:wxr_version) is “%(version)s” in plaats van bijvoorbeeld "
                         "“1.2”. Er is niets geïmporteerd.")
                       % {"version": channel.wxr_version[:20]})
    raise WxrError(_("Dit is geen geldige WordPress-export (WXR): het versienummer "
                     "(wp:wxr_version) ontbreekt. Maak de export opnieuw in WordPress "
                     "(Extra → Exporteren). Er is niets geïmporteerd."))


def _refuse(error: WxrError, events) -> None:
    """Refuse a file that is no WXR; if it is not even well-formed XML, say that first."""
    try:
        for event, element in events:
            if event == "end":
                element.clear()
    except ET.ParseError as exc:
        line, column = exc.position
        raise WxrError(
            _("Het bestand is geen geldige XML (regel %(line)s, kolom %(column)s): %(error)s.")
            % {"line": line, "column": column + 1, "error": str(exc).split(":")[0]}
            + " " + str(error)
        ) from exc
    except etree.XMLSyntaxError:
        pass
    raise error


def _records(events, items: list | None = None, *,
             light: bool = False) -> Iterator[Channel | Author | Term | Item]:
    """Records from (event, element) pairs of either parser. `items`, when given, collects
    (first line, id, title) per item, for naming what the tolerant parser repaired."""
    channel = Channel()
    channel_element = None
    channel_sent = False
    seen_wordpress = False
    depth = 0
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if not isinstance(element.tag, str):
                    continue
                name = element_name(element.tag)
                if depth == 1 and name != "rss":
                    raise WxrError(_("Dit is geen WordPress-export (WXR): het bestand begint "
                                     "met <%(tag)s> in plaats van <rss>.") % {"tag": name})
                if depth == 2 and name == "channel":
                    channel_element = element
                elif depth == 3 and name in _TOP_LEVEL and not channel_sent:
                    try:
                        _check_version(channel, seen_wordpress)
                    except WxrError as refused:
                        _refuse(refused, events)
                    channel_sent = True
                    yield channel
                continue
            depth -= 1
            if depth != 2 or channel_element is None or not isinstance(element.tag, str):
                continue
            name = element_name(element.tag)
            if name.startswith("wp:"):
                seen_wordpress = True
            if name == "item":
                record = _item(element, light)
                if items is not None:
                    items.append((element.sourceline or 0, record.post_id, record.title))
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
    if channel_element is None:
        raise WxrError(_("Dit is geen WordPress-export (WXR): er is geen <channel>."))
    if not channel_sent:
        _check_version(channel, seen_wordpress)
        yield channel
