"""Bring a WordPress export (WXR) in: authors, terms, attachments, posts, pages, comments, links.

Two passes over the file, each streaming (see `reader`). The first takes the authors (those
the file defines and every other login it names), the categories and tags (also the ones no
post uses, as WordPress keeps them), the attachments, and notes every item's old address;
the second takes posts and pages with their comments, in batches.

**Batches.** Each batch of posts is first *planned* — read, converted, rendered and sanitised
once, its slugs, tags, redirects and comment threads decided, with a handful of queries for
the whole batch — and then *written* in one transaction with `bulk_create`. When that
transaction fails, the batch is written again one item per transaction, so one bad item is
reported with its id and undone (rows, stored files and the import's caches) and the rest
goes in. Authors, terms and attachments are few and go in one by one.

**Same item, second run.** WordPress keys an item by its id within one site and checks title
and date for duplicates; so does this importer: every item is remembered in `WordPressItem`
(site + WordPress id). An item already here is left as the editor may have changed it; only
what was missing is completed (its trend once the year's trend list exists, its featured
image once the file is there, new comments, old links). A post with the same title and date
as one that is already here (say from a site that changed its address) is that post. Two
posts that share a `<guid>` are two posts.

**Dry run.** The same planning, with nothing written and no lock taken: what would be
created, merged, skipped and why, and what would collide with what is here already (the same
slug, the same author).

**Links.** Links in posts and pages to the old site (absolute, or root-relative) that point at
an imported post, page or picture are rewritten to its new address; links to other sites are
left alone. Old category, tag and author addresses get a redirect to their new pages.

Statuses go through `blog.workflow` (`restore_imported`, `restore_imported_many`) only.
"""

import email.utils
import gc
import hashlib
import logging
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from accounts.models import AuthorProfile, User
from blog import images, workflow
from blog.models import Image, Page, Post, Status
from comments.models import Comment
from core import content
from core.images import ImageRejected, delete_stored
from core.slugs import free_value
from trends.models import Trend
from wordpress import reader
from wordpress.convert import (
    absolute_links,
    body_to_html,
    comment_to_text,
    html_for_wordpress,
    media_key,
    plain_text,
    resized_key,
    rewrite_links,
)
from wordpress.media import MediaFolder
from wordpress.models import LegacyRedirect, WordPressItem
from wordpress.shortcodes import IMAGE_EXTENSIONS, AttachmentRef, ShortcodeContext

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500
COLLECT_EVERY = 50
BATCH_ITEMS = 100  # posts and pages per transaction
BATCH_COMMENTS = 1000  # … or fewer, when they carry many comments
WORDPRESS_TIMEZONE = ZoneInfo("Europe/Amsterdam")
# Post types that hold no reader content of their own: counted, never imported.
NOT_CONTENT = {
    "revision", "nav_menu_item", "custom_css", "customize_changeset", "oembed_cache",
    "wp_block", "wp_template", "wp_template_part", "wp_global_styles", "wp_navigation",
    "user_request", "wp_font_family", "wp_font_face", "jp_mem_plan", "feedback",
}
DEFAULT_CATEGORIES = {"uncategorized", "geen-categorie", "ongecategoriseerd"}
TAG_DOMAINS = {"category", "post_tag", "tag"}
TREND_META = re.compile(r"trend_(\d{4})")
_is_web_url = URLValidator(schemes=["http", "https"])
_UNUSABLE_PASSWORD = None  # make_password(None) per user: each gets its own random marker


class SkipItem(Exception):
    """This item cannot come in; the message (Dutch) says why."""


def wordpress_login(raw: str) -> str:
    """A login as WordPress's importer keys it: `sanitize_user($login, true)`.

    Tags, accents, %-escapes and entities go, then every character but letters, digits,
    space, `_ . - @`; whitespace is trimmed and collapsed. So `>anneke` is `anneke`, the
    author the file defines, and not a second account.
    """
    text = re.sub(r"<[^>]*>", "", raw or "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"%[a-fA-F0-9]{2}", "", text)
    text = re.sub(r"&.+?;", "", text)
    text = re.sub(r"[^a-zA-Z0-9 _.\-@]", "", text)
    return re.sub(r"\s+", " ", text.strip())
@dataclass(frozen=True, slots=True)
class Finding:
    """One item worth telling the editor about: what, which WordPress id, and why."""

    kind: str
    wp_id: str
    title: str
    reason: str = ""

    def __str__(self):
        kind = _KIND_LABELS.get(self.kind, self.kind)
        title = f" “{self.title}”" if self.title else ""
        reason = f": {self.reason}" if self.reason else ""
        return f"{kind} {self.wp_id}{title}{reason}"


_KIND_LABELS = {
    "author": gettext_lazy("auteur"), "post": gettext_lazy("bericht"), "page": gettext_lazy("pagina"),
    "attachment": gettext_lazy("bijlage"), "comment": gettext_lazy("reactie"),
    "term": gettext_lazy("categorie of tag"),
}
# The lists of findings a report keeps, with the heading each is printed under.
FINDINGS = {
    "skipped": gettext_lazy("Overgeslagen"),
    "repairs": gettext_lazy("Hersteld bij het lezen (het bestand was geen geldige XML)"),
    "duplicates": gettext_lazy("Bestond al (zelfde titel en datum): niet dubbel aangemaakt"),
    "undated": gettext_lazy("Gepubliceerd zonder datum: gedateerd op het moment van importeren"),
    "slug_collisions": gettext_lazy("Adres (slug) al in gebruik: kreeg een ander adres"),
    "author_collisions": gettext_lazy("Auteur bestond al op deze site"),
    "renamed_tags": gettext_lazy("Zelfde naam als een andere categorie of tag, ander adres: "
                                 "een aparte tag met een andere naam"),
    "protected": gettext_lazy("Met een wachtwoord beveiligd (niet openbaar geïmporteerd)"),
    "private": gettext_lazy("Privé in WordPress (niet openbaar geïmporteerd)"),
    "sticky": gettext_lazy("Bovenaan vastgezet (sticky) in WordPress"),
    "missed_schedule": gettext_lazy("Ingepland in WordPress met een datum die al voorbij is (nu live)"),
    "unlinked_trends": gettext_lazy("Niet aan een trend gekoppeld (de trendlijst of de trend ontbreekt)"),
    "missing_featured": gettext_lazy("Uitgelichte afbeelding niet gevonden"),
    "missing_files": gettext_lazy("Bestand van een bijlage niet gevonden"),
    "rejected_files": gettext_lazy("Bestand van een bijlage geweigerd"),
    "not_images": gettext_lazy("Bijlage is geen afbeelding (alleen de gegevens zijn bewaard)"),
    "deleted": gettext_lazy("Na een eerdere import verwijderd (niet opnieuw aangemaakt)"),
    "redirect_conflicts": gettext_lazy("Oude link wijst al naar iets anders (niet veranderd)"),
    "orphan_replies": gettext_lazy("Antwoord op een reactie die er niet is (als losse reactie geplaatst)"),
    "notes": gettext_lazy("Opmerkingen"),
}


@dataclass
class ImportReport:
    path: str = ""
    dry_run: bool = False
    site: str = ""
    wxr_version: str = ""
    created: Counter = field(default_factory=Counter)  # (kind, label) → n
    existing: Counter = field(default_factory=Counter)  # kind → n
    findings: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    ignored_types: Counter = field(default_factory=Counter)
    ignored_comments: Counter = field(default_factory=Counter)
    unknown_shortcodes: Counter = field(default_factory=Counter)
    placeholders: int = 0
    trends_linked: int = 0
    redirects: int = 0
    tags: int = 0
    term_redirects: int = 0
    links_rewritten: int = 0
    links_left: int = 0
    files_without_media_dir: int = 0
    seconds: float = 0.0

    def count(self, kind: str, label: str | None = None) -> int:
        if label is not None:
            return self.created[(kind, label)]
        return sum(n for (k, _label), n in self.created.items() if k == kind)

    def merge(self, other: "ImportReport") -> None:
        self.created.update(other.created)
        self.existing.update(other.existing)
        for name, found in other.findings.items():
            self.findings[name].extend(found)
        self.ignored_comments.update(other.ignored_comments)
        self.unknown_shortcodes.update(other.unknown_shortcodes)
        self.placeholders += other.placeholders
        self.trends_linked += other.trends_linked
        self.redirects += other.redirects
        self.tags += other.tags
        self.term_redirects += other.term_redirects
        self.links_rewritten += other.links_rewritten
        self.links_left += other.links_left
        self.files_without_media_dir += other.files_without_media_dir

    def lines(self) -> list[str]:
        """The summary the command prints, in Dutch."""
        out = self.summary()
        for heading, found in self.sections():
            out.append(f"{heading} ({len(found)}):")
            out.extend(f"  - {finding}" for finding in found)
        return out

    def sections(self) -> list[tuple[str, list["Finding"]]]:
        return [(str(heading), self.findings[name]) for name, heading in FINDINGS.items()
                if self.findings.get(name)]

    def as_json(self) -> dict:
        """What the admin stores and shows: the summary and each list of findings."""
        return {
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "sections": [{"heading": heading, "items": [str(f) for f in found]}
                         for heading, found in self.sections()],
        }

    def summary(self) -> list[str]:

        def labelled(kind, labels):
            parts = [f"{self.created[(kind, key)]} {text}" for key, text in labels.items()
                     if self.created[(kind, key)]]
            return f" ({', '.join(parts)})" if parts else ""

        out = []
        if self.dry_run:
            out.append(_("PROEFRUN: er is niets opgeslagen; dit zou er gebeuren."))
        out.append(_("Import van %(path)s (WXR %(version)s, site %(site)s) in %(s).1f s")
                   % {"path": self.path, "version": self.wxr_version or "?",
                      "site": self.site or "?", "s": self.seconds})
        out.append(
            _("Auteurs: %(new)s nieuw, %(linked)s gekoppeld aan een bestaand account, "
              "%(old)s al eerder geïmporteerd")
            % {"new": self.created[("author", "new")],
               "linked": self.created[("author", "linked")], "old": self.existing["author"]}
        )
        out.append(
            _("Berichten: %(new)s nieuw%(labels)s, %(old)s al eerder geïmporteerd")
            % {"new": self.count("post"), "old": self.existing["post"],
               "labels": labelled("post", POST_LABELS)}
        )
        out.append(
            _("Pagina's: %(new)s nieuw%(labels)s, %(old)s al eerder geïmporteerd")
            % {"new": self.count("page"), "old": self.existing["page"],
               "labels": labelled("page", PAGE_LABELS)}
        )
        out.append(
            _("Reacties: %(new)s nieuw%(labels)s, %(old)s al eerder geïmporteerd")
            % {"new": self.count("comment"), "old": self.existing["comment"],
               "labels": labelled("comment", COMMENT_LABELS)}
        )
        out.append(
            _("Bijlagen: %(images)s afbeeldingen overgenomen, %(meta)s alleen met hun gegevens, "
              "%(old)s al eerder geïmporteerd")
            % {"images": self.created[("attachment", "image")],
               "meta": self.created[("attachment", "metadata")],
               "old": self.existing["attachment"]}
        )
        if self.files_without_media_dir:
            out.append(_("  %(n)s bestanden niet gezocht: geef de uploadmap op met --media-dir.")
                       % {"n": self.files_without_media_dir})
        out.append(_("Tags: %(n)s nieuw. Oude links: %(r)s doorverwijzingen naar berichten en "
                     "pagina's, %(terms)s naar tag- en auteurspagina's. Trends gekoppeld: %(t)s.")
                   % {"n": self.tags, "r": self.redirects, "terms": self.term_redirects,
                      "t": self.trends_linked})
        out.append(_("Links naar de oude site in de teksten: %(done)s omgezet naar het nieuwe "
                     "adres, %(left)s niet (geen geïmporteerd bericht, pagina of bestand).")
                   % {"done": self.links_rewritten, "left": self.links_left})
        if self.ignored_comments:
            out.append(_("Reacties niet overgenomen: %(list)s")
                       % {"list": _counted(self.ignored_comments)})
        if self.ignored_types:
            out.append(_("Geen inhoud, genegeerd: %(list)s") % {"list": _counted(self.ignored_types)})
        if self.unknown_shortcodes:
            out.append(_("Onbekende shortcodes (inhoud bewaard of vervangen door een melding): "
                         "%(list)s") % {"list": _counted(self.unknown_shortcodes)})
        return out


POST_LABELS = {
    "published": gettext_lazy("gepubliceerd"), "scheduled": gettext_lazy("ingepland"), "draft": gettext_lazy("concept"),
    "submitted": gettext_lazy("ingediend"), "hidden": gettext_lazy("niet openbaar"),
}
PAGE_LABELS = {"published": gettext_lazy("gepubliceerd"), "hidden": gettext_lazy("niet gepubliceerd")}
COMMENT_LABELS = {
    Comment.Status.APPROVED: gettext_lazy("goedgekeurd"), Comment.Status.PENDING: gettext_lazy("wacht op goedkeuring"),
    Comment.Status.SPAM: gettext_lazy("spam"), Comment.Status.REMOVED: gettext_lazy("verwijderd"),
}
COMMENT_STATUS = {
    "1": Comment.Status.APPROVED, "approve": Comment.Status.APPROVED,
    "approved": Comment.Status.APPROVED, "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING, "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED, "post-trashed": Comment.Status.REMOVED,
}


def _counted(counter: Counter) -> str:
    return ", ".join(f"{name} ×{n}" for name, n in counter.most_common())


def site_key(url: str) -> str:
    """'https://www.Example.org/blog/' → 'www.example.org/blog': a site, whatever its scheme."""
    parts = urlsplit((url or "").strip())
    return (parts.netloc.lower() + parts.path.rstrip("/"))[:200]


def _clip(value: str, length: int) -> str:
    return (value or "")[:length]


class _ItemScope:
    """What one item adds: merged into the report and caches only when its transaction holds."""

    def __init__(self):
        self.report = ImportReport()
        self.undo: list[Callable[[], None]] = []
        self.files: list[dict] = []


@dataclass(eq=False)
class _Plan:
    """One post or page of the second pass, decided before anything is written."""

    kind: str  # "post" or "page"
    item: reader.Item
    wp_id: str
    title: str
    scope: _ItemScope
    when: datetime | None = None
    existing: Post | Page | None = None  # already here: only completed
    merged: bool = False  # … found by title and date: its WordPressItem row is new
    obj: Post | Page | None = None  # new: not saved yet
    status: str = ""
    publish_at: datetime | None = None
    note: str = ""
    label: str = ""
    update_fields: list[str] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)
    # (WordPress key, parent key, unsaved comment), parents before their replies
    comments: list[tuple[str, str, Comment]] = field(default_factory=list)
    forward_urls: set[str] = field(default_factory=set)  # links to later items: after pass 2
    fresh_tags: list[Tag] = field(default_factory=list)  # tags this plan's write creates

    @property
    def target(self):
        return self.existing if self.existing is not None else self.obj




class WxrImporter:
    def __init__(self, source, *, media_dir=None, media=None, dry_run: bool = False,
                 name: str = "", progress: Callable[[str], None] | None = None,
                 counter: Callable[[int, int], None] | None = None):
        """`source`: the file's path, or a callable that opens it (binary). `media`: where
        attachments' files are (`wordpress.media.MediaFolder` or `MediaZip`); `media_dir`
        is the command line's folder. `progress` gets messages, `counter` (done, total)."""
        self.wxr = reader.WxrFile(source)
        self.media = media if media is not None else (MediaFolder(media_dir) if media_dir
                                                      else None)
        self.dry_run = dry_run
        self.progress = progress or (lambda message: None)
        self.counter = counter or (lambda done, total: None)
        self.report = ImportReport(path=name or ("" if callable(source) else str(source)),
                                   dry_run=dry_run)
        self.now = timezone.now()
        self.site = ""
        self.base_path = ""
        self.old_hosts: set[str] = set()
        self.channel = reader.Channel()
        self.scope = _ItemScope()
        self.fake_ids = count(-1, -1)  # a dry run's stand-ins for rows it does not write
        self.users: dict[str, User] = {}  # sanitised login → user
        self.failed_logins: set[str] = set()
        self.author_ids: dict[str, int] = {}  # WordPress author id → user pk
        self.attachments: dict[str, AttachmentRef] = {}
        self.attachment_images: dict[str, int] = {}  # WordPress attachment id → Image pk
        self.children: dict[str, list[str]] = defaultdict(list)
        self.media_refs: dict[str, AttachmentRef] = {}
        self.tags_by_slug: dict[str, Tag] | None = None
        self.tags_by_name: dict[str, Tag] = {}
        self.term_parents: dict[str, str] = {}  # category slug → parent slug
        self.trends: dict[tuple[int, int], int] = {}
        self.slugs: dict[type, set[str]] = {Post: set(), Page: set()}  # taken in this run
        self.redirect_paths: set[str] = set()  # claimed in this run
        self.title_dates: dict[tuple, str] = {}  # (kind, title, instant) → WordPress id
        self.old_links: dict[str, tuple[str, str]] = {}  # old path → (kind, WordPress id)
        self.new_urls: dict[tuple[str, str], str] = {}  # (kind, WordPress id) → new address
        self.handled: set[tuple[str, str]] = set()  # items whose fate is known
        self.relink: list[tuple[str, int, set[str]]] = []  # (kind, pk, links to later items)
        self.pending_forward: list[tuple[str, str]] = []  # a dry run's forward links

    # --- running ----------------------------------------------------------------------------
    def run(self) -> ImportReport:
        started = time.monotonic()
        # What lives now (Django, the apps) lives on: the collections the import runs now and
        # then (see _batch) need not walk it every time.
        gc.freeze()
        try:
            self._run()
        finally:
            gc.unfreeze()
        self.report.seconds = time.monotonic() - started
        return self.report

    def _run(self) -> None:
        self.trends = {
            (year, number): pk
            for year, number, pk in Trend.objects.values_list("trend_list__year", "number", "pk")
        }
        self.progress(_("Stap 1 van 2: auteurs, categorieën en bijlagen"))
        seen = attachments = 0
        authors: list[reader.Author] = []
        terms: list[reader.Term] = []
        header_done = False
        for record in self.wxr.records(light=True):
            if isinstance(record, reader.Channel):
                self._channel(record)
            elif isinstance(record, reader.Author):
                authors.append(record)
            elif isinstance(record, reader.Term):
                terms.append(record)
            elif isinstance(record, reader.Item):
                if not header_done:
                    header_done = True
                    self._header(authors, terms)
                seen += 1
                post_type = record.post_type or "post"
                if post_type in {"post", "page"} or (post_type == "attachment"
                                                     and record.creator):
                    self._creator(record.creator)
                if record.post_type == "attachment":
                    self._guarded("attachment", record.post_id, plain_text(record.title),
                                  self._attachment, record)
                    attachments += 1
                    if attachments % COLLECT_EVERY == 0:
                        gc.collect()
                elif (record.post_type or "post") in {"post", "page"}:
                    self._note_old_address(record)
                if seen % PROGRESS_EVERY == 0:
                    self.progress(_("… %(n)s items gelezen") % {"n": seen})
                    self.counter(0, 0)
        if not header_done:
            self._header(authors, terms)
        for repair in self.wxr.repairs:
            where = _("regel %(line)s") % {"line": repair.line}
            what = repair.message if repair.kept else _("%(message)s — controleer dit item") % {
                "message": repair.message}
            self.report.findings["repairs"].append(
                Finding("post" if repair.item_id else "", repair.item_id or where,
                        plain_text(repair.item_title), f"{where}: {what}" if repair.item_id
                        else what))

        self.progress(_("Stap 2 van 2: berichten, pagina's en reacties (%(n)s items)")
                      % {"n": seen})
        self.counter(0, seen)
        done = 0
        batch: list[reader.Item] = []
        comments = 0
        for record in self.wxr.records():
            if not isinstance(record, reader.Item):
                continue
            done += 1
            post_type = record.post_type or "post"
            if post_type in {"post", "page"}:
                batch.append(record)
                comments += len(record.comments)
                if len(batch) >= BATCH_ITEMS or comments >= BATCH_COMMENTS:
                    self._batch(batch)
                    self.counter(done, seen)
                    batch, comments = [], 0
            elif post_type in NOT_CONTENT:
                self.report.ignored_types[post_type] += 1
            elif post_type != "attachment":
                self.report.findings["skipped"].append(Finding(
                    post_type, record.post_id, plain_text(record.title),
                    _("soort “%(type)s” kent deze site niet") % {"type": post_type},
                ))
            if done % PROGRESS_EVERY == 0:
                self.progress(_("… %(done)s van %(total)s items verwerkt")
                              % {"done": done, "total": seen})
        if batch:
            self._batch(batch)
        self.counter(seen, seen)
        self._relink()

    def _guarded(self, kind: str, wp_id: str, title: str, handler, record) -> None:
        """One item in its own transaction; a failure is reported and undone, never fatal."""
        self.scope = scope = _ItemScope()
        try:
            with transaction.atomic():
                handler(record)
        except SkipItem as exc:
            self._discard(scope)
            self.report.findings["skipped"].append(Finding(kind, wp_id, title, str(exc)))
        except Exception as exc:  # one bad item must not stop the import
            logger.exception("WXR import: %s %s failed", kind, wp_id)
            self._discard(scope)
            self.report.findings["skipped"].append(
                Finding(kind, wp_id, title, f"{type(exc).__name__}: {exc}")
            )
        else:
            self.report.merge(scope.report)
        finally:
            self.scope = _ItemScope()

    def _discard(self, scope: _ItemScope) -> None:
        for undo in reversed(scope.undo):
            undo()
        scope.undo.clear()
        for renditions in scope.files:
            delete_stored(renditions)

    def _remember(self, mapping: dict, key, value) -> None:
        """Put `value` in a cache, and take it out again if the item's transaction fails."""
        missing = object()
        previous = mapping.get(key, missing)
        mapping[key] = value

        def undo():
            if previous is missing:
                mapping.pop(key, None)
            else:
                mapping[key] = previous

        self.scope.undo.append(undo)

    def _found(self, name: str, kind: str, wp_id: str, title: str = "", reason: str = "") -> None:
        self.scope.report.findings[name].append(Finding(kind, wp_id, title, reason))

    def _fake(self, obj):
        """A dry run's stand-in gets an id no row can have, so caches work as in a real run."""
        obj.pk = next(self.fake_ids)
        return obj

    # --- channel, authors and terms -----------------------------------------------------------
    def _channel(self, channel: reader.Channel) -> None:
        self.channel = channel
        base = channel.base_site_url or channel.base_blog_url or channel.link
        self.site = site_key(base) or "wordpress"
        self.base_path = urlsplit(channel.base_blog_url or channel.link or "").path.rstrip("/")
        for url in (channel.base_site_url, channel.base_blog_url, channel.link):
            host = _host(url)
            if host:
                self.old_hosts.add(host)
        self.report.site = self.site
        self.report.wxr_version = channel.wxr_version

    def _header(self, authors: list[reader.Author], terms: list[reader.Term]) -> None:
        for author in authors:
            self._guarded("author", author.login, author.display_name, self._author, author)
        if not terms:
            return
        # Tags are this site's only taxonomy: where a category and a tag share a slug, the
        # tag's spelling of the name is kept.
        terms = sorted(terms, key=lambda term: (term.domain or "").lower() == "category")
        with transaction.atomic():  # one commit; each term in its own savepoint
            for term in terms:
                self._guarded("term", term.slug or term.name, plain_text(term.name),
                              self._term, term)

    def _creator(self, creator: str) -> None:
        """A login an item names but the file may not define (WXR 1.0 defines none)."""
        login = wordpress_login(creator) or "wordpress"
        if login not in self.users and login not in self.failed_logins:
            self._guarded("author", login, login, self._author,
                          reader.Author(login=creator or "wordpress"))
            if login not in self.users:
                self.failed_logins.add(login)

    def _author(self, author: reader.Author) -> None:
        login = wordpress_login(author.login)
        if not author.login.strip():
            raise SkipItem(_("auteur zonder loginnaam"))
        user = self._user_for(login or "wordpress", author)
        if author.id:
            self._remember(self.author_ids, author.id, user.pk)

    def _user_for(self, login: str, author: reader.Author) -> User:
        """The user behind a WordPress login: remembered, matched by e-mail, or created."""
        if login in self.users:
            return self.users[login]
        row = (WordPressItem.objects.filter(site=self.site, kind=WordPressItem.Kind.AUTHOR,
                                            key=_clip(login, 200))
               .select_related("user").first())
        display = plain_text(author.display_name) or \
            f"{plain_text(author.first_name)} {plain_text(author.last_name)}".strip() or login
        if row is not None and row.user is not None:
            user = row.user
            self.scope.report.existing["author"] += 1
        else:
            email = author.email.strip()
            try:
                validate_email(email)
            except ValidationError:
                email = ""
            user = User.objects.filter(email__iexact=email).first() if email else None
            if user is not None:
                self.scope.report.created[("author", "linked")] += 1
                self._found("author_collisions", "author", login, display,
                            _("het bestaande account “%(user)s” met hetzelfde e-mailadres wordt "
                              "gebruikt") % {"user": user.username})
            else:
                base = re.sub(r"[^\w.@+-]", "-", login)[:140].strip("-") or "auteur"
                username = free_value(User.objects.all(), "username", base, ignore_case=True)
                if username != base:
                    self._found("author_collisions", "author", login, display,
                                _("de loginnaam “%(base)s” is hier al van iemand anders: het "
                                  "nieuwe account heet “%(name)s”")
                                % {"base": base, "name": username})
                user = User(
                    username=username, email=email,
                    first_name=_clip(plain_text(author.first_name), 150),
                    last_name=_clip(plain_text(author.last_name), 150), is_staff=False,
                )
                # Not able to log in until invited or given a password.
                user.password = make_password(_UNUSABLE_PASSWORD)
                if self.dry_run:
                    self._fake(user)
                else:
                    user.save()
                self.scope.report.created[("author", "new")] += 1
            if not self.dry_run:
                if row is None:
                    WordPressItem.objects.create(
                        site=self.site, kind=WordPressItem.Kind.AUTHOR, key=_clip(login, 200),
                        title=_clip(display, 255), user=user,
                        meta={"id": author.id, "email": author.email, "login": author.login},
                    )
                else:
                    WordPressItem.objects.filter(pk=row.pk).update(user=user)
        if not self.dry_run and not AuthorProfile.objects.filter(user=user).exists():
            AuthorProfile.objects.create(user=user, display_name=_clip(display, 120))
        self._author_redirects(login, author.id, user)
        self._remember(self.users, login, user)
        return user

    def _author_redirects(self, login: str, author_id: str, user: User) -> None:
        """`/author/<login>/` and `/?author=<id>` lead to the author's page here."""
        paths = [f"{self.base_path}/author/{slugify(login)}/"]
        if author_id.isdigit():
            paths.append(f"{self.base_path}/?author={author_id}")
        self.scope.report.term_redirects += self._claim_paths(paths, author=user)

    def _author_for(self, creator: str) -> User:
        login = wordpress_login(creator) or "wordpress"
        user = self.users.get(login)
        if user is None:
            raise SkipItem(_("de auteur “%(login)s” kon niet worden aangemaakt")
                           % {"login": login})
        return user

    def _term(self, term: reader.Term) -> None:
        """A category or tag from the file's header: kept even when no post uses it."""
        domain = (term.domain or "").lower()
        if domain not in TAG_DOMAINS:
            return  # link categories, menus, post formats: no reader-facing label
        slug = slugify(unquote(term.slug)) if term.slug else ""
        name = plain_text(term.name) or unquote(term.slug)
        if domain == "category":
            self.term_parents[slug] = slugify(unquote(term.parent)) if term.parent else ""
            if (slug or slugify(name)) in DEFAULT_CATEGORIES:
                return
        if not name:
            return
        tag = self._tag_for(name, slug, parent=term.parent, kind="term", wp_id=term.slug)
        if tag.pk is None:
            tag.save()  # removed with the rest if this term's savepoint rolls back
            self.scope.undo.append(lambda: setattr(tag, "pk", None))
        self._term_redirects(domain, slug or tag.slug, term.id, tag)

    def _term_redirects(self, domain: str, slug: str, term_id: str, tag: Tag) -> None:
        base = self.base_path
        if domain == "category":
            chain, parent, seen = [slug], self.term_parents.get(slug, ""), {slug}
            while parent and parent not in seen:
                chain.insert(0, parent)
                seen.add(parent)
                parent = self.term_parents.get(parent, "")
            paths = {f"{base}/category/{slug}/", f"{base}/category/{'/'.join(chain)}/"}
            if term_id.isdigit():
                paths.add(f"{base}/?cat={term_id}")
        else:
            paths = {f"{base}/tag/{slug}/", f"{base}/?tag={slug}"}
            if not base and slug == tag.slug:
                paths.discard(f"/tag/{slug}/")  # the same address here: nothing to redirect
        self.scope.report.term_redirects += self._claim_paths(sorted(paths), tag=tag)

    def _claim_paths(self, paths, **target) -> int:
        """Redirect rows for old addresses nobody has claimed yet (one query, one insert)."""
        paths = [p for p in paths if len(p) <= 500 and p not in self.redirect_paths]
        taken = set(LegacyRedirect.objects.filter(old_path__in=paths)
                    .values_list("old_path", flat=True))
        fresh = [p for p in paths if p not in taken]
        if not self.dry_run:
            LegacyRedirect.objects.bulk_create([LegacyRedirect(old_path=p, **target)
                                                for p in fresh])
        for path in fresh:
            self.redirect_paths.add(path)
            self.scope.undo.append(lambda path=path: self.redirect_paths.discard(path))
        return len(fresh)

    # --- tags -------------------------------------------------------------------------------
    def _load_tags(self) -> None:
        if self.tags_by_slug is None:
            self.tags_by_slug, self.tags_by_name = {}, {}
            for tag in Tag.objects.all():
                self.tags_by_slug[tag.slug] = tag
                self.tags_by_name[tag.name.lower()] = tag

    def _tag_for(self, name: str, slug: str, *, parent: str = "", kind: str = "post",
                 wp_id: str = "") -> Tag:
        """The tag for a category or tag: the same slug is the same tag; the same name with
        another slug is another term (WordPress allows that, e.g. under another parent) and
        becomes a tag of its own with a name that tells them apart. Not saved yet when new
        (pk None): the caller saves it, or the batch writes it."""
        self._load_tags()
        name = name[:100]
        slug = (slug or slugify(name))[:100].strip("-")
        tag = self.tags_by_slug.get(slug) if slug else None
        if tag is not None:
            return tag
        same_name = self.tags_by_name.get(name.lower())
        if same_name is not None and (not slug or same_name.slug == slug):
            return same_name
        if same_name is not None:
            label = plain_text(unquote(parent)) or slug
            distinct = f"{name} ({label})"[:100]
            n = 2
            while distinct.lower() in self.tags_by_name:
                distinct = f"{name} ({label} {n})"[:100]
                n += 1
            self._found("renamed_tags", kind, wp_id or slug, name,
                        _("heet hier “%(name)s” (adres /tag/%(slug)s/); “%(other)s” heeft het "
                          "adres /tag/%(other_slug)s/")
                        % {"name": distinct, "slug": slug, "other": same_name.name,
                           "other_slug": same_name.slug})
            name = distinct
        base = slug or "tag"
        candidate, n = base, 2
        while candidate in self.tags_by_slug:
            candidate = f"{base[:95]}-{n}"
            n += 1
        tag = Tag(name=name, slug=candidate)
        if self.dry_run and kind == "term":
            self._fake(tag)
        self._remember(self.tags_by_slug, candidate, tag)
        self._remember(self.tags_by_name, name.lower(), tag)
        if slug and candidate != slug:
            self._remember(self.tags_by_slug, slug, tag)
        if kind == "term":
            self.scope.report.tags += 1  # a batch counts its new tags once it wrote them
        return tag

    def _item_tags(self, item: reader.Item, wp_id: str) -> list[Tag]:
        """Categories and tags both become tags, looked up in one cache (no query per tag)."""
        tags: dict[int, Tag] = {}
        for term in item.terms:
            domain = term.domain.lower()
            if domain not in TAG_DOMAINS:
                continue  # post formats and other taxonomies carry no reader-facing label
            slug = slugify(unquote(term.slug)) if term.slug else ""
            name = plain_text(term.name) or unquote(term.slug)
            if domain == "category" and (slug or slugify(name)) in DEFAULT_CATEGORIES:
                continue
            if not name:
                continue
            tag = self._tag_for(name, slug, parent=self.term_parents.get(slug, ""),
                                wp_id=wp_id)
            tags[id(tag)] = tag
        return list(tags.values())

    # --- attachments --------------------------------------------------------------------------
    def _attachment(self, item: reader.Item) -> None:
        wp_id = self._require_id(item)
        url = item.attachment_url or item.guid
        host = _host(url)
        if host:
            self.old_hosts.add(host)
        ref = AttachmentRef(
            url=url, title=plain_text(item.title),
            alt=plain_text(item.meta.get("_wp_attachment_image_alt", "")),
            caption=plain_text(item.excerpt), parent=item.post_parent,
        )
        row = (WordPressItem.objects.filter(site=self.site, kind=WordPressItem.Kind.ATTACHMENT,
                                            key=wp_id).select_related("image").first())
        image = row.image if row is not None else None
        if row is not None:
            self.scope.report.existing["attachment"] += 1
        if image is None:
            image, found = self._attachment_file(item, wp_id, url, ref)
            if row is None:
                if not self.dry_run:
                    WordPressItem.objects.create(
                        site=self.site, kind=WordPressItem.Kind.ATTACHMENT, key=wp_id,
                        guid=_clip(item.guid, 500), title=_clip(ref.title, 255),
                        url=_clip(url, 500), image=image,
                        meta={"alt": ref.alt, "caption": ref.caption, "parent": ref.parent,
                              "file": item.meta.get("_wp_attached_file", ""),
                              "description": item.content},
                    )
                label = "image" if found else "metadata"
                self.scope.report.created[("attachment", label)] += 1
            elif image is not None:
                WordPressItem.objects.filter(pk=row.pk).update(image=image)
        if image is not None:
            ref.image_src = image.url_for(800)
            ref.image_full = image.url_for(10_000)
            ref.width, ref.height = image.width, image.height
            self._remember(self.attachment_images, wp_id, image.pk)
            self._remember(self.new_urls, ("attachment", wp_id), ref.image_full)
        self._remember(self.attachments, wp_id, ref)
        self._remember(self.media_refs, media_key(url), ref)
        self.handled.add(("attachment", wp_id))
        for old in (url, item.link):
            key = self._old_key(old)
            if key:
                self._remember(self.old_links, key, ("attachment", wp_id))
        if ref.parent and ref.parent != "0":
            siblings = self.children[ref.parent]
            siblings.append(wp_id)
            self.scope.undo.append(lambda: siblings.remove(wp_id) if wp_id in siblings else None)

    def _attachment_file(self, item, wp_id, url, ref) -> tuple[Image | None, bool]:
        """The attachment's file from the uploads, stored like an upload (blog.images); and
        whether there is one (a dry run finds files but processes none: that would write them)."""
        extension = "." + urlsplit(url).path.rsplit(".", 1)[-1].lower() if "." in \
            urlsplit(url).path.rsplit("/", 1)[-1] else ""
        if extension and extension not in IMAGE_EXTENSIONS:
            self._found("not_images", "attachment", wp_id, ref.title, url)
            return None, False
        if self.media is None:
            self.scope.report.files_without_media_dir += 1
            return None, False
        found = self.media.find(_file_candidates(url, item.meta.get("_wp_attached_file", "")))
        if found is None:
            self._found("missing_files", "attachment", wp_id, ref.title, url)
            return None, False
        if self.dry_run:
            return None, True
        try:
            with found.open() as handle:
                stored = images.store_renditions(File(handle, name=found.name))
        except ImageRejected as exc:
            self._found("rejected_files", "attachment", wp_id, ref.title,
                        f"{found.name}: {' '.join(exc.messages)}")
            return None, False
        self.scope.files.append(stored.renditions)  # removed if this item rolls back
        uploader = self.users.get(wordpress_login(item.creator)) if item.creator else None
        image = images.save_image(stored, uploaded_by=uploader,
                                  created_at=self._date(item) or self.now)
        return image, True

    def _media_lookup(self, url: str) -> AttachmentRef | None:
        """An imported attachment behind a picture's address on the old site (never another
        site's picture that happens to have the same path)."""
        if self._old_key(url) is None:
            return None
        key, _width = resized_key(url)
        return self.media_refs.get(key) or self.media_refs.get(media_key(url))

    # --- old addresses ------------------------------------------------------------------------
    def _old_key(self, url: str) -> str | None:
        """An address on the old site as a lookup key (its decoded path, or `/?p=<id>`);
        None for another site's address, a fragment or a `mailto:`."""
        url = (url or "").strip()
        if not url or url.startswith("#"):
            return None
        parts = urlsplit(url)
        if parts.scheme or url.startswith("//"):
            if parts.scheme.lower() not in {"http", "https", ""}:
                return None
            if _host(url) not in self.old_hosts:
                return None
        elif not url.startswith("/") or url.startswith((settings.MEDIA_URL, settings.STATIC_URL)):
            return None  # relative to the page, or this site's own files
        path = unquote(parts.path) or "/"
        query = parse_qs(parts.query)
        for name in ("p", "page_id", "attachment_id"):
            value = (query.get(name) or [""])[0]
            if value.isdigit():
                return f"{path.rstrip('/')}/?{name}={value}"
        last = path.rsplit("/", 1)[-1]
        if not path.endswith("/") and "." not in last:
            path += "/"
        return path

    def _note_old_address(self, item: reader.Item) -> None:
        """Pass 1: where each post and page lived, so links to it can follow it."""
        if not item.post_id.isdigit():
            return
        kind = "page" if item.post_type == "page" else "post"
        target = (kind, item.post_id)
        base = self.channel.base_blog_url or self.channel.link or self.channel.base_site_url
        for url in (item.link, f"{base.rstrip('/')}/?p={item.post_id}",
                    f"{base.rstrip('/')}/?page_id={item.post_id}" if kind == "page" else ""):
            key = self._old_key(url)
            if key and key not in {"/", self.base_path + "/"}:
                self.old_links.setdefault(key, target)

    def _resolve(self, url: str) -> tuple[str | None, tuple[str, str] | None]:
        """(new address, target) for a link; (None, target) when the target has none yet."""
        key = self._old_key(url)
        if key is None:
            return None, None
        target = self.old_links.get(key)
        new = self.new_urls.get(target) if target else None
        if new is not None:
            fragment = urlsplit(url).fragment
            new = f"{new}#{fragment}" if fragment else new
        return new, target

    def _links(self, plan: "_Plan") -> Callable[[str], str | None]:
        """The resolver `rewrite_links` uses for one post: old address → new address."""

        def resolve(url: str) -> str | None:
            if self._old_key(url) is None:
                return None  # another site, or not a link into a site at all
            new, target = self._resolve(url)
            if new is not None:
                plan.scope.report.links_rewritten += 1
            elif target is not None and target not in self.handled \
                    and target != (plan.kind, plan.wp_id):
                plan.forward_urls.add(url)  # comes later in the file: done after pass 2
                if self.dry_run:
                    self.pending_forward.append(target)
            else:
                plan.scope.report.links_left += 1
            return new

        return resolve

    def _relink(self) -> None:
        """Links to posts that came later in the file, now that every address is known."""
        if self.dry_run:
            for target in self.pending_forward:
                if target in self.new_urls:
                    self.report.links_rewritten += 1
                else:
                    self.report.links_left += 1
            return

        def resolver(urls):
            def resolve(url):
                if url not in urls:
                    return None
                new, _target = self._resolve(url)
                if new is None:
                    self.report.links_left += 1
                else:
                    self.report.links_rewritten += 1
                return new
            return resolve

        for start in range(0, len(self.relink), BATCH_ITEMS):
            chunk = {(kind, pk): urls for kind, pk, urls in self.relink[start:start + BATCH_ITEMS]}
            with transaction.atomic():
                for model, kind in ((Post, "post"), (Page, "page")):
                    pks = [pk for k, pk in chunk if k == kind]
                    for obj in model.objects.filter(pk__in=pks).only("pk", "body_html"):
                        body = rewrite_links(obj.body_html, resolver(chunk[(kind, obj.pk)]))
                        if body != obj.body_html:
                            # Only addresses changed, to this site's own: no new sanitising.
                            model.objects.filter(pk=obj.pk).update(body_html=body)
                            if model is Post:
                                Post.history.filter(id=obj.pk).update(body_html=body)

    def _redirect_paths(self, item: reader.Item, wp_id: str, kind: str) -> list[str]:
        """The item's old permalink and its `?p=<id>` (pages: `?page_id=`) form. The guid is
        not an address: a copied post keeps its original's guid."""
        paths = {f"{self.base_path}/?p={wp_id}"}
        if kind == "page":
            paths.add(f"{self.base_path}/?page_id={wp_id}")
        old = old_path(item.link)
        if old and old not in {"/", self.base_path + "/"}:
            paths.add(old)
        return sorted(p for p in paths if len(p) <= 500)

    # --- posts and pages: one batch -----------------------------------------------------------
    def _batch(self, records: list[reader.Item]) -> None:
        """Plan every item of the batch (a few queries for all of them), then write them."""
        known = self._prefetch(records)
        plans = []
        for item in records:
            kind = "page" if item.post_type == "page" else "post"
            title = plain_text(item.title)
            plan = _Plan(kind, item, item.post_id, title, _ItemScope())
            self.scope = plan.scope
            try:
                self._plan(plan, known)
            except SkipItem as exc:
                self._discard(plan.scope)
                self.report.findings["skipped"].append(Finding(kind, item.post_id, title,
                                                               str(exc)))
                continue
            except Exception as exc:  # one bad item must not stop the import
                logger.exception("WXR import: %s %s failed", kind, item.post_id)
                self._discard(plan.scope)
                self.report.findings["skipped"].append(
                    Finding(kind, item.post_id, title, f"{type(exc).__name__}: {exc}"))
                continue
            finally:
                self.scope = _ItemScope()
            # What the writing needs is in the plan now: let the raw text go.
            item.content = item.excerpt = item.description = ""
            item.comments, item.meta, item.terms = [], {}, []
            if plan.existing is None and plan.obj is None:
                self.report.merge(plan.scope.report)  # nothing to write (deleted earlier)
                continue
            plans.append(plan)
            self.handled.add((kind, item.post_id))
        self._write_plans(plans)
        # The HTML sanitiser leaves reference cycles holding whole bodies: collect them now
        # and then, so memory stays flat however large the file.
        gc.collect()

    def _prefetch(self, records: list[reader.Item]) -> dict:
        """What planning the batch needs from the database, in one query per kind of fact."""
        keys = [r.post_id for r in records if r.post_id.isdigit()]
        rows = {
            (row.kind, row.key): row
            for row in WordPressItem.objects.filter(
                site=self.site, kind__in=[WordPressItem.Kind.POST, WordPressItem.Kind.PAGE],
                key__in=keys,
            ).select_related("post", "page")
        }
        new = [r for r in records if ("page" if r.post_type == "page" else "post",
                                      r.post_id) not in rows]
        titles = {_clip(plain_text(r.title), 200) for r in new}
        titles.discard("")
        same_title: dict[tuple[str, str], list] = defaultdict(list)
        if titles:
            for obj in Post.objects.filter(title__in=titles).only(
                    "pk", "title", "slug", "author", "publish_at", "created_at", "trend",
                    "featured_image", "featured_image_alt"):
                same_title[("post", obj.title)].append(obj)
            for obj in Page.objects.filter(title__in=titles):
                same_title[("page", obj.title)].append(obj)
        candidates = {_slug_base(r) for r in new}
        slugs = {
            Post: set(Post.objects.filter(slug__in=candidates).values_list("slug", flat=True)),
            Page: set(Page.objects.filter(slug__in=candidates).values_list("slug", flat=True)),
        }
        comment_keys = [_comment_key(c) for r in records for c in r.comments]
        comments = dict(
            WordPressItem.objects.filter(site=self.site, kind=WordPressItem.Kind.COMMENT,
                                         key__in=comment_keys)
            .values_list("key", "comment_id")
        ) if comment_keys else {}
        paths = [p for r in records if r.post_id.isdigit()
                 for p in self._redirect_paths(r, r.post_id,
                                               "page" if r.post_type == "page" else "post")]
        redirects = {
            path: (post_id, page_id) for path, post_id, page_id in
            LegacyRedirect.objects.filter(old_path__in=paths)
            .values_list("old_path", "post_id", "page_id")
        }
        return {"rows": rows, "same_title": same_title, "slugs": slugs, "comments": comments,
                "redirects": redirects}

    def _plan(self, plan: _Plan, known: dict) -> None:
        item, kind = plan.item, plan.kind
        wp_id = plan.wp_id = self._require_id(item)
        row = known["rows"].get((kind, wp_id))
        if row is not None:
            self.scope.report.existing[kind] += 1
            target = row.post if kind == "post" else row.page
            if target is None:
                self._found("deleted", kind, wp_id, plan.title)
                return
            self._plan_existing(plan, target, known)
            return
        status, publish_at, label, note = self._status(item, kind, wp_id, plan.title)
        plan.when = self._date(item)
        duplicate = self._duplicate(plan, known)
        if duplicate is not None:
            return
        intro, markdown, body = self._sources(item)
        model = Post if kind == "post" else Page
        title = _clip(plan.title, 200) or _("Zonder titel (%(id)s)") % {"id": wp_id}
        slug = self._reserve_slug(model, _slug_base(item), known["slugs"][model], plan)
        created_at = plan.when or self.now
        if kind == "post":
            obj = Post(
                title=title, slug=slug, author=self._author_for(item.creator), intro=intro,
                body_markdown=markdown, excerpt=_clip(plain_text(item.excerpt), 600),
                allow_comments=item.comment_status.lower() != "closed", created_at=created_at,
            )
            self._link_featured(obj, item, wp_id, plan.title)
            self._link_trend(obj, item, wp_id, plan.title)
            plan.tags = self._item_tags(item, wp_id)
        else:
            obj = Page(title=title, slug=slug, body_markdown=markdown,
                       is_published=status == Status.APPROVED and publish_at <= self.now,
                       created_at=created_at)
            label = "published" if obj.is_published else "hidden"
            if item.comments:
                self.scope.report.ignored_comments[_("bij een pagina")] += len(item.comments)
        plan.obj = obj
        self._remember(self.new_urls, (kind, wp_id), obj.get_absolute_url())
        obj.body_html = "" if markdown else self._body(body, plan)
        obj.render_text()  # rendered and sanitised once, here
        plan.status, plan.publish_at, plan.label, plan.note = status, publish_at, label, note
        self.scope.report.created[(kind, label)] += 1
        if plan.when is not None and plan.title:
            self._remember(self.title_dates, (kind, _clip(plan.title, 200), _second(plan.when)),
                           wp_id)
        plan.redirects = self._plan_redirects(plan, known)
        if kind == "post":
            self._plan_comments(plan, known, existing_names=set())

    def _duplicate(self, plan: _Plan, known: dict):
        """WordPress's duplicate check: the same title and date is the same post. One that is
        here already is completed like a post from an earlier run; a second one in the file
        is left out."""
        if plan.when is None or not plan.title:
            return None
        moment = _second(plan.when)
        title = _clip(plan.title, 200)
        for obj in known["same_title"].get((plan.kind, title), []):
            dates = {_second(obj.created_at)}
            if plan.kind == "post" and obj.publish_at:
                dates.add(_second(obj.publish_at))
            if moment in dates:
                self._found("duplicates", plan.kind, plan.wp_id, plan.title,
                            _("dezelfde titel en datum als “%(title)s” (%(url)s) die hier al "
                              "staat: samengevoegd") % {"title": obj.title,
                                                         "url": obj.get_absolute_url()})
                plan.merged = True
                self.scope.report.existing[plan.kind] += 1
                self._plan_existing(plan, obj, known)
                return obj
        earlier = self.title_dates.get((plan.kind, title, moment))
        if earlier is not None:
            if (plan.kind, earlier) in self.new_urls:
                self._remember(self.new_urls, (plan.kind, plan.wp_id),
                               self.new_urls[(plan.kind, earlier)])
            self._found("duplicates", plan.kind, plan.wp_id, plan.title,
                        _("dezelfde titel en datum als %(kind)s %(id)s in dit bestand: niet "
                          "nog eens geïmporteerd") % {"kind": _KIND_LABELS[plan.kind],
                                                       "id": earlier})
            plan.existing = None
            return True
        return None

    def _plan_existing(self, plan: _Plan, target, known: dict) -> None:
        """A post from an earlier run: add what was missing then, change nothing else."""
        plan.existing = target
        self._remember(self.new_urls, (plan.kind, plan.wp_id), target.get_absolute_url())
        if plan.kind == "post":
            if target.trend_id is None and self._link_trend(target, plan.item, plan.wp_id,
                                                            plan.title):
                plan.update_fields.append("trend")
            if target.featured_image_id is None and self._link_featured(
                    target, plan.item, plan.wp_id, plan.title, report=False):
                plan.update_fields += ["featured_image", "featured_image_alt"]
            names = set()
            if plan.merged and plan.item.comments:
                # WordPress's check for a comment that is there already: author and date.
                names = {(c.name, _second(c.created_at)) for c in target.comments.all()}
            self._plan_comments(plan, known, existing_names=names)
        plan.redirects = self._plan_redirects(plan, known)

    def _plan_redirects(self, plan: _Plan, known: dict) -> list[str]:
        fresh = []
        target_pk = plan.target.pk
        for path in self._redirect_paths(plan.item, plan.wp_id, plan.kind):
            taken = known["redirects"].get(path)
            if taken is None and path not in self.redirect_paths:
                fresh.append(path)
                self.redirect_paths.add(path)
                self.scope.undo.append(lambda path=path: self.redirect_paths.discard(path))
            elif taken is None or taken[0 if plan.kind == "post" else 1] != target_pk \
                    or target_pk is None:
                self._found("redirect_conflicts", plan.kind, plan.wp_id, plan.title, path)
        return fresh

    def _reserve_slug(self, model, base: str, taken_here: set[str], plan: _Plan) -> str:
        """A slug no row has and no earlier item of this run took; a collision is reported."""
        base = base or slugify(plan.title)[:200].strip("-") or ("bericht" if model is Post
                                                                else "pagina")
        reserved = self.slugs[model]
        candidate, n = base, 2
        while candidate in reserved or candidate in taken_here or (
                candidate != base and model.objects.filter(slug=candidate).exists()):
            candidate = f"{base[:190]}-{n}"
            n += 1
        if candidate != base:
            self._found("slug_collisions", plan.kind, plan.wp_id, plan.title,
                        _("“%(base)s” is al in gebruik: wordt “%(slug)s”")
                        % {"base": base, "slug": candidate})
        reserved.add(candidate)
        self.scope.undo.append(lambda: reserved.discard(candidate))
        return candidate

    def _body(self, raw: str, plan: _Plan) -> str:
        context = ShortcodeContext(post_id=plan.wp_id, attachments=self.attachments,
                                   children=self.children)

        def lookup(url):
            ref = self._media_lookup(url)
            if ref is not None and ref.image_src:
                plan.scope.report.links_rewritten += 1
            return ref

        # render_text() sanitises body_html: not here as well.
        body = body_to_html(raw, context=context, lookup=lookup, sanitize=False,
                            site_url=settings.SITE_URL, links=self._links(plan))
        self.scope.report.unknown_shortcodes.update(context.unknown)
        self.scope.report.placeholders += context.placeholders
        return body

    def _plan_comments(self, plan: _Plan, known: dict, *, existing_names: set) -> None:
        """Comments with their threading; each WordPress comment id comes in once."""
        keyed = []
        for comment in plan.item.comments:
            kind = (comment.type or "comment").lower()
            if kind != "comment":
                self.scope.report.ignored_comments[kind] += 1
                continue
            keyed.append((_comment_key(comment), comment))
        placed: dict[str, object] = {}  # key → existing comment pk, or a new Comment
        for key, _comment in keyed:
            if key in known["comments"]:
                placed[key] = known["comments"][key]
                self.scope.report.existing["comment"] += 1
        waiting = [(key, c) for key, c in keyed if key not in placed]
        in_file = {key for key, _c in keyed}
        post = plan.target
        # Parents before their replies, whatever the order in the file.
        while waiting:
            ready = [(k, c) for k, c in waiting
                     if c.parent in {"", "0"} or c.parent in placed or c.parent not in in_file]
            if not ready:  # a cycle of parents: break it at the first
                ready = waiting[:1]
            ready_keys = {k for k, _c in ready}
            waiting = [(k, c) for k, c in waiting if k not in ready_keys]
            for key, comment in ready:
                created = self._comment(comment, post, placed, plan.wp_id, existing_names)
                placed[key] = created
                if created is not None:
                    plan.comments.append((key, comment.parent, created))

    def _comment(self, comment, post, placed: dict, wp_id: str, existing_names: set):
        body = comment_to_text(comment.content)
        if not body:
            self.scope.report.ignored_comments[_("leeg")] += 1
            return None
        name = _clip(plain_text(comment.author), 80) or _("Anoniem")
        created_at = self._comment_date(comment, post)
        if (name, _second(created_at)) in existing_names:
            self.scope.report.existing["comment"] += 1
            return None
        parent = None
        if comment.parent not in {"", "0"}:
            parent = placed.get(comment.parent)
            if parent is None:
                self._found("orphan_replies", "comment", comment.id, "",
                            _("bij bericht %(post)s, antwoord op %(parent)s")
                            % {"post": wp_id, "parent": comment.parent})
        email = comment.author_email.strip()
        try:
            validate_email(email)
        except ValidationError:
            email = ""
        url = comment.author_url.strip()
        try:
            _is_web_url(url)
            if len(url) > 200:
                url = ""
        except ValidationError:
            url = ""
        user_pk = self.author_ids.get(comment.user_id) if comment.user_id not in {"", "0"} \
            else None
        status = COMMENT_STATUS.get(comment.approved.lower(), Comment.Status.PENDING)
        created = Comment(
            name=name, email=email, url=url, body=body, status=status, user_id=user_pk,
            is_author_reply=user_pk is not None and user_pk == post.author_id,
            created_at=created_at,
        )
        created.parent_ref = parent  # an existing pk, or a Comment of this plan
        created.render_text()
        self.scope.report.created[("comment", status)] += 1
        return created

    def _comment_date(self, comment, post) -> datetime:
        gmt = _parse_wp_date(comment.date_gmt, strict=False)
        if gmt is not None:
            return gmt.replace(tzinfo=UTC)
        local = _parse_wp_date(comment.date, strict=False)
        if local is not None:
            return timezone.make_aware(local, WORDPRESS_TIMEZONE)
        return post.publish_at or post.created_at or self.now

    # --- posts and pages: writing -------------------------------------------------------------
    def _write_plans(self, plans: list[_Plan]) -> None:
        if not plans:
            return
        if self.dry_run:
            for plan in plans:
                plan.fresh_tags = [self._fake(tag) for tag in plan.tags if tag.pk is None]
            self._written(plans)
            return
        try:
            with transaction.atomic():
                self._write(plans)
        except Exception:
            logger.exception("WXR import: a batch failed; writing its items one by one")
            self._unsaved(plans)
            for plan in plans:
                try:
                    with transaction.atomic():
                        self._write([plan])
                except Exception as exc:
                    logger.exception("WXR import: %s %s failed", plan.kind, plan.wp_id)
                    self._unsaved([plan])
                    self._discard(plan.scope)
                    self.report.findings["skipped"].append(Finding(
                        plan.kind, plan.wp_id, plan.title, f"{type(exc).__name__}: {exc}"))
                else:
                    self._written([plan])
            return
        self._written(plans)

    def _write(self, plans: list[_Plan]) -> None:
        """Everything the plans decided, with one INSERT per kind of row."""
        fresh_tags: dict[int, Tag] = {}
        for plan in plans:  # each new tag belongs to the first plan that uses it
            plan.fresh_tags = [t for t in plan.tags if t.pk is None and id(t) not in fresh_tags]
            fresh_tags.update((id(t), t) for t in plan.fresh_tags)
        Tag.objects.bulk_create(list(fresh_tags.values()))
        posts = [p for p in plans if p.kind == "post" and p.obj is not None]
        pages = [p for p in plans if p.kind == "page" and p.obj is not None]
        if posts:
            workflow.restore_imported_many(
                [(p.obj, p.status, p.publish_at, p.note) for p in posts])
        if pages:
            Page.objects.bulk_create([p.obj for p in pages])
        for plan in plans:
            if plan.update_fields:
                # `updated_at` too: it is part of the post's card key (blog/cards.py).
                plan.existing.save(update_fields=[*plan.update_fields, "updated_at"])
        rows = []
        for plan in plans:
            if plan.obj is None and not plan.merged:
                continue
            target = plan.target
            rows.append(WordPressItem(
                site=self.site, kind=plan.kind, key=plan.wp_id, guid=_clip(plan.item.guid, 500),
                title=_clip(plan.title, 255), url=_clip(plan.item.link, 500),
                post=target if plan.kind == "post" else None,
                page=target if plan.kind == "page" else None,
                meta={"status": plan.item.status, "type": plan.kind,
                      **({"parent": plan.item.post_parent} if plan.kind == "page" else {}),
                      **({"merged": True} if plan.merged else {})},
            ))
        WordPressItem.objects.bulk_create(rows)
        self._write_tags(posts)
        LegacyRedirect.objects.bulk_create([
            LegacyRedirect(old_path=path, post=plan.target if plan.kind == "post" else None,
                           page=plan.target if plan.kind == "page" else None)
            for plan in plans for path in plan.redirects
        ])
        self._write_comments(plans)

    def _write_tags(self, plans: list[_Plan]) -> None:
        through = Post.tags.through  # blog.TaggedPost: a real foreign key to the post
        through.objects.bulk_create([
            through(content_object=plan.obj, tag=tag) for plan in plans for tag in plan.tags
        ])
        for plan in plans:
            if plan.tags:
                m2m_changed.send(sender=through, action="post_add", instance=plan.obj,
                                 reverse=False, model=Tag, pk_set={t.pk for t in plan.tags},
                                 using="default")

    def _write_comments(self, plans: list[_Plan]) -> None:
        """Comments level by level (a reply needs its parent's id), one INSERT per level."""
        levels: dict[int, list[tuple[_Plan, str, Comment]]] = defaultdict(list)
        depth: dict[int, int] = {}
        for plan in plans:
            for key, _parent, comment in plan.comments:
                parent = comment.parent_ref
                level = depth[id(parent)] + 1 if isinstance(parent, Comment) else 0
                depth[id(comment)] = level
                levels[level].append((plan, key, comment))
        rows = []
        for level in sorted(levels):
            batch = levels[level]
            for plan, _key, comment in batch:
                comment.post = plan.target
                parent = comment.parent_ref
                comment.parent_id = parent.pk if isinstance(parent, Comment) else parent
            Comment.objects.bulk_create([comment for _plan, _key, comment in batch])
            rows += [
                WordPressItem(site=self.site, kind=WordPressItem.Kind.COMMENT, key=key,
                              comment=comment, title=_clip(comment.name, 255),
                              meta={"post": plan.wp_id, "parent": _parent_key(plan, key)})
                for plan, key, comment in batch
            ]
        WordPressItem.objects.bulk_create(rows)

    def _unsaved(self, plans: list[_Plan]) -> None:
        """After a rolled-back write: the objects are not in the database after all."""
        for plan in plans:
            objects = [plan.obj] if plan.obj is not None else []
            objects += plan.fresh_tags
            objects += [comment for _key, _parent, comment in plan.comments]
            for obj in objects:
                obj.pk = None
                obj._state.adding = True
            if plan.existing is not None:
                plan.existing.refresh_from_db()

    def _written(self, plans: list[_Plan]) -> None:
        for plan in plans:
            self.report.merge(plan.scope.report)
            self.report.tags += len(plan.fresh_tags)
            if plan.obj is not None and plan.forward_urls:
                self.relink.append((plan.kind, plan.obj.pk, plan.forward_urls))
            self.report.redirects += len(plan.redirects)

    # --- facts of one item --------------------------------------------------------------------
    def _require_id(self, item: reader.Item) -> str:
        if not item.post_id.isdigit():
            raise SkipItem(_("geen geldig WordPress-id (“%(id)s”)") % {"id": item.post_id})
        return item.post_id

    def _date(self, item) -> datetime | None:
        """The GMT instant; WordPress writes 0000-00-00 there for drafts: then local time."""
        gmt = _parse_wp_date(item.post_date_gmt)
        if gmt is not None:
            return gmt.replace(tzinfo=UTC)
        local = _parse_wp_date(item.post_date)
        if local is not None:
            return timezone.make_aware(local, WORDPRESS_TIMEZONE)
        if getattr(item, "pub_date", ""):
            try:
                return email.utils.parsedate_to_datetime(item.pub_date)
            except (TypeError, ValueError):
                pass
        return None

    def _status(self, item: reader.Item, kind: str, wp_id: str, title: str):
        """(status, publish_at, label, note) for a post, from its WordPress status."""
        wp_status = (item.status or "publish").lower()
        when = self._date(item)
        protected = bool(item.post_password)
        note = _("Geïmporteerd uit WordPress (%(site)s, id %(id)s, status “%(status)s”).") % {
            "site": self.site, "id": wp_id, "status": wp_status}
        if wp_status in {"trash", "auto-draft", "inherit"}:
            raise SkipItem(_("status “%(status)s” in WordPress") % {"status": wp_status})
        if item.is_sticky == "1":
            self._found("sticky", kind, wp_id, title)
        if protected:
            self._found("protected", kind, wp_id, title)
            return Status.DRAFT, None, "hidden", note + " " + _("Had een wachtwoord.")
        if wp_status == "private":
            self._found("private", kind, wp_id, title)
            return Status.DRAFT, None, "hidden", note
        if wp_status in {"publish", "future"}:
            if when is None:
                # WordPress dates it now; nothing published is left out.
                when = self.now
                self._found("undated", kind, wp_id, title,
                            _("gepubliceerd op %(when)s") % {
                                "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")})
                note += " " + _("Had geen datum: gedateerd op het moment van importeren.")
            if wp_status == "future" and when <= self.now:
                self._found("missed_schedule", kind, wp_id, title,
                            timezone.localtime(when).strftime("%Y-%m-%d %H:%M"))
            label = "published" if when <= self.now else "scheduled"
            return Status.APPROVED, when, label, note
        if wp_status == "pending":
            return Status.SUBMITTED, None, "submitted", note
        if wp_status != "draft":
            self._found("notes", kind, wp_id, title,
                        _("onbekende status “%(status)s”: als concept geïmporteerd")
                        % {"status": wp_status})
        return Status.DRAFT, None, "draft", note

    def _link_featured(self, post, item, wp_id, title, *, report=True) -> bool:
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if not thumbnail:
            return False
        image_pk = self.attachment_images.get(thumbnail)
        alt = ""
        if image_pk is not None:
            ref = self.attachments[thumbnail]
            alt = ref.alt or ref.title
        elif thumbnail not in self.attachments:
            # Exports split over several files: the attachment may have come in before.
            row = (WordPressItem.objects.filter(site=self.site, kind=WordPressItem.Kind.ATTACHMENT,
                                                key=thumbnail, image__isnull=False)
                   .values("image_id", "title", "meta").first())
            if row is not None:
                image_pk, alt = row["image_id"], (row["meta"] or {}).get("alt") or row["title"]
        if image_pk is None:
            if report:
                self._found("missing_featured", "post", wp_id, title,
                            _("bijlage %(id)s") % {"id": thumbnail})
            return False
        post.featured_image_id = image_pk
        post.featured_image_alt = _clip(alt, 250)
        return True

    def _link_trend(self, post, item, wp_id, title) -> bool:
        """`trend_<year>` = number: the post looks back on that trend of that year's list."""
        for key, value in item.meta.items():
            year = TREND_META.fullmatch(key)
            if year is None:
                continue
            number = value.strip()
            trend = self.trends.get((int(year.group(1)), int(number))) if number.isdigit() \
                else None
            if trend is None:
                self._found("unlinked_trends", "post", wp_id, title,
                            _("trend %(n)s van %(year)s") % {"n": number, "year": year.group(1)})
                continue
            post.trend_id = trend
            self.scope.report.trends_linked += 1
            return True
        return False

    def _sources(self, item: reader.Item) -> tuple[str, str, str]:
        """(intro, body Markdown, WordPress body) of an item.

        An export of this site carries the Markdown sources as post meta, next to the HTML
        WordPress shows; they are taken back only while that HTML is still what they render
        to (so an edit made in WordPress meanwhile is never lost).
        """
        base = self.channel.base_site_url or self.channel.link
        body = item.content.replace("\r\n", "\n")
        intro = item.meta.get("_welzijn_intro", "")
        if intro:
            shown = html_for_wordpress(absolute_links(content.render_markdown(intro), base))
            if body.startswith(shown):
                body = body[len(shown):].lstrip("\n")
            else:
                intro = ""
        markdown = item.meta.get("_welzijn_markdown", "")
        if markdown:
            shown = html_for_wordpress(absolute_links(content.render_markdown(markdown), base))
            if shown.strip() != body.strip():
                markdown = ""
        return intro, markdown, body


def _parent_key(plan: _Plan, key: str) -> str:
    for comment_key, parent, _comment in plan.comments:
        if comment_key == key:
            return parent
    return ""


def _second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _slug_base(item: reader.Item) -> str:
    return slugify(unquote(item.post_name or ""))[:200].strip("-")


def _host(url: str) -> str:
    """'https://www.Example.org:443/x' → 'example.org': a site, with or without www."""
    netloc = urlsplit((url or "").strip()).netloc.lower().rsplit("@", 1)[-1]
    host = netloc.split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


def _file_candidates(url: str, attached_file: str) -> list[str]:
    """`…/wp-content/uploads/2010/12/x.jpg` → where in the uploads folder or zip to look."""
    path = unquote(urlsplit(url).path)
    candidates = []
    if attached_file:
        candidates.append(attached_file)
    marker = path.lower().rfind("/uploads/")
    if marker != -1:
        candidates.append(path[marker + len("/uploads/"):])
    elif path.startswith("/files/"):
        candidates.append(path[len("/files/"):])
    candidates.append(path.lstrip("/"))
    return candidates


def _comment_key(comment) -> str:
    """The WordPress comment id; a comment without one gets a stable key from its content."""
    if comment.id.isdigit():
        return comment.id
    digest = hashlib.sha1(
        "\n".join([comment.author, comment.date_gmt, comment.date, comment.content]).encode(),
        usedforsecurity=False,
    ).hexdigest()
    return f"h{digest[:20]}"


def _parse_wp_date(value: str, *, strict: bool = True) -> datetime | None:
    """'2010-12-06 06:00:00' → naive datetime; WordPress's zero date and '' → None."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    if strict:
        raise SkipItem(_("ongeldige datum “%(date)s”") % {"date": value[:40]})
    return None


def old_path(url: str) -> str:
    """The path a reader's browser asks for at an old WordPress address.

    Kept decoded (as Django's `request.path` is); `?p=123` and `?page_id=123` links keep
    that query because it, not the path, names the post.
    """
    if not url:
        return ""
    parts = urlsplit(url.strip())
    path = unquote(parts.path) or "/"
    query = parse_qs(parts.query)
    for key in ("p", "page_id"):
        value = (query.get(key) or [""])[0]
        if value.isdigit():
            return f"{path}?{key}={value}"
    return path
