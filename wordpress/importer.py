"""Bring a WordPress export (WXR) in: authors, attachments, posts, pages, comments, old links.

Two passes over the file, each streaming (see `reader`): the first takes the authors and the
attachments, so that the second, which takes posts and pages, can link featured images and
galleries whatever the order in the file. Every author, attachment, post and page goes in
its own transaction: one bad item is reported with its id and skipped, the rest goes in.

Running the same export again creates nothing new: every item is remembered in
`WordPressItem` (site + WordPress id, or the guid). A post that is already here is left as
the editor may have changed it; only what was missing is completed (its trend once the
year's trend list exists, its featured image once the file is there, new comments, old
links). `--dry-run` runs the whole import inside one transaction that is rolled back and
processes no image files, so the report says exactly what a real run would do.

Statuses go through `blog.workflow.restore_imported` only.
"""

import email.utils
import gc
import hashlib
import logging
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
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
from core.slugs import free_value, unique_slug
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
)
from wordpress.models import LegacyRedirect, WordPressItem
from wordpress.shortcodes import IMAGE_EXTENSIONS, AttachmentRef, ShortcodeContext

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500
COLLECT_EVERY = 50
WORDPRESS_TIMEZONE = ZoneInfo("Europe/Amsterdam")
# Post types that hold no reader content of their own: counted, never imported.
NOT_CONTENT = {
    "revision", "nav_menu_item", "custom_css", "customize_changeset", "oembed_cache",
    "wp_block", "wp_template", "wp_template_part", "wp_global_styles", "wp_navigation",
    "user_request", "wp_font_family", "wp_font_face", "jp_mem_plan", "feedback",
}
DEFAULT_CATEGORIES = {"uncategorized", "geen-categorie", "ongecategoriseerd"}
TREND_META = re.compile(r"trend_(\d{4})")
_is_web_url = URLValidator(schemes=["http", "https"])


class SkipItem(Exception):
    """This item cannot come in; the message (Dutch) says why."""


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
}
# The lists of findings a report keeps, with the heading each is printed under.
FINDINGS = {
    "skipped": gettext_lazy("Overgeslagen"),
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
        self.files_without_media_dir += other.files_without_media_dir

    def lines(self) -> list[str]:
        """The summary the command prints, in Dutch."""

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
        out.append(_("Tags: %(n)s nieuw. Oude links: %(r)s doorverwijzingen. Trends gekoppeld: "
                     "%(t)s.") % {"n": self.tags, "r": self.redirects, "t": self.trends_linked})
        if self.ignored_comments:
            out.append(_("Reacties niet overgenomen: %(list)s")
                       % {"list": _counted(self.ignored_comments)})
        if self.ignored_types:
            out.append(_("Geen inhoud, genegeerd: %(list)s") % {"list": _counted(self.ignored_types)})
        if self.unknown_shortcodes:
            out.append(_("Onbekende shortcodes (inhoud bewaard of vervangen door een melding): "
                         "%(list)s") % {"list": _counted(self.unknown_shortcodes)})
        for name, heading in FINDINGS.items():
            found = self.findings.get(name)
            if found:
                out.append(f"{heading} ({len(found)}):")
                out.extend(f"  - {finding}" for finding in found)
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


class WxrImporter:
    def __init__(self, path, *, media_dir=None, dry_run: bool = False,
                 progress: Callable[[str], None] | None = None):
        self.path = Path(path)
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.dry_run = dry_run
        self.progress = progress or (lambda message: None)
        self.report = ImportReport(path=str(path), dry_run=dry_run)
        self.now = timezone.now()
        self.site = ""
        self.base_path = ""
        self.channel = reader.Channel()
        self.scope = _ItemScope()
        self.users: dict[str, User] = {}  # login → user
        self.author_ids: dict[str, int] = {}  # WordPress author id → user pk
        self.attachments: dict[str, AttachmentRef] = {}
        self.attachment_images: dict[str, int] = {}  # WordPress attachment id → Image pk
        self.children: dict[str, list[str]] = defaultdict(list)
        self.media: dict[str, AttachmentRef] = {}
        self.tags_by_slug: dict[str, Tag] | None = None
        self.tags_by_name: dict[str, Tag] = {}
        self.trends: dict[tuple[int, int], int] = {}

    # --- running ----------------------------------------------------------------------------
    def run(self) -> ImportReport:
        started = time.monotonic()
        if self.dry_run:
            with transaction.atomic():
                self._run()
                transaction.set_rollback(True)
        else:
            self._run()
        self.report.seconds = time.monotonic() - started
        return self.report

    def _run(self) -> None:
        self.trends = {
            (year, number): pk
            for year, number, pk in Trend.objects.values_list("trend_list__year", "number", "pk")
        }
        self.progress(_("Stap 1 van 2: auteurs en bijlagen"))
        seen = attachments = 0
        for record in reader.read(self.path):
            if isinstance(record, reader.Channel):
                self._channel(record)
            elif isinstance(record, reader.Author):
                self._guarded("author", record.login, record.display_name, self._author, record)
            elif isinstance(record, reader.Item):
                seen += 1
                if record.post_type == "attachment":
                    self._guarded("attachment", record.post_id, plain_text(record.title),
                                  self._attachment, record)
                    attachments += 1
                    if attachments % COLLECT_EVERY == 0:
                        gc.collect()
                if seen % PROGRESS_EVERY == 0:
                    self.progress(_("… %(n)s items gelezen") % {"n": seen})
        self.progress(_("Stap 2 van 2: berichten, pagina's en reacties (%(n)s items)")
                      % {"n": seen})
        done = 0
        for record in reader.read(self.path):
            if not isinstance(record, reader.Item):
                continue
            done += 1
            post_type = record.post_type or "post"
            title = plain_text(record.title)
            if post_type == "post":
                self._guarded("post", record.post_id, title, self._post, record)
            elif post_type == "page":
                self._guarded("page", record.post_id, title, self._page, record)
            elif post_type in NOT_CONTENT:
                self.report.ignored_types[post_type] += 1
            elif post_type != "attachment":
                self.report.findings["skipped"].append(Finding(
                    post_type, record.post_id, title,
                    _("soort “%(type)s” kent deze site niet") % {"type": post_type},
                ))
            if done % COLLECT_EVERY == 0 and post_type in {"post", "page"}:
                # The HTML sanitiser leaves reference cycles holding whole bodies; collect
                # them now and then, so memory stays flat however large the file.
                gc.collect()
            if done % PROGRESS_EVERY == 0:
                self.progress(_("… %(done)s van %(total)s items verwerkt")
                              % {"done": done, "total": seen})

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

    # --- channel and authors ------------------------------------------------------------------
    def _channel(self, channel: reader.Channel) -> None:
        self.channel = channel
        base = channel.base_site_url or channel.base_blog_url or channel.link
        self.site = site_key(base) or "wordpress"
        self.base_path = urlsplit(channel.base_blog_url or channel.link or "").path.rstrip("/")
        self.report.site = self.site
        self.report.wxr_version = channel.wxr_version

    def _author(self, author: reader.Author) -> None:
        if not author.login:
            raise SkipItem(_("auteur zonder loginnaam"))
        user = self._user_for(author.login, author)
        if author.id:
            self._remember(self.author_ids, author.id, user.pk)

    def _user_for(self, login: str, author: reader.Author | None = None) -> User:
        """The user behind a WordPress login: remembered, matched by e-mail, or created."""
        login = login.strip()
        if login in self.users:
            return self.users[login]
        author = author or reader.Author(login=login)
        row = (WordPressItem.objects.filter(site=self.site, kind=WordPressItem.Kind.AUTHOR,
                                            key=_clip(login, 200))
               .select_related("user").first())
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
            else:
                user = User(
                    username=self._free_username(login),
                    email=email,
                    first_name=_clip(author.first_name, 150),
                    last_name=_clip(author.last_name, 150),
                    is_staff=False,
                )
                # Not able to log in until invited or given a password.
                user.set_unusable_password()
                user.save()
                self.scope.report.created[("author", "new")] += 1
            if row is None:
                WordPressItem.objects.create(
                    site=self.site, kind=WordPressItem.Kind.AUTHOR, key=_clip(login, 200),
                    title=_clip(author.display_name or login, 255), user=user,
                    meta={"id": author.id, "email": author.email},
                )
            else:
                WordPressItem.objects.filter(pk=row.pk).update(user=user)
        if not AuthorProfile.objects.filter(user=user).exists():
            name = (author.display_name or f"{author.first_name} {author.last_name}").strip()
            AuthorProfile.objects.create(user=user, display_name=_clip(name or login, 120))
        self._remember(self.users, login, user)
        return user

    def _free_username(self, login: str) -> str:
        base = re.sub(r"[^\w.@+-]", "-", login)[:140].strip("-") or "auteur"
        return free_value(User.objects.all(), "username", base, ignore_case=True)

    # --- attachments --------------------------------------------------------------------------
    def _attachment(self, item: reader.Item) -> None:
        wp_id = self._require_id(item)
        url = item.attachment_url or item.guid
        ref = AttachmentRef(
            url=url, title=plain_text(item.title),
            alt=plain_text(item.meta.get("_wp_attachment_image_alt", "")),
            caption=plain_text(item.excerpt), parent=item.post_parent,
        )
        row = self._mapping(WordPressItem.Kind.ATTACHMENT, wp_id, item.guid, "image")
        image = row.image if row is not None else None
        if row is not None:
            self.scope.report.existing["attachment"] += 1
        if image is None:
            image, found = self._attachment_file(item, wp_id, url, ref)
            if row is None:
                WordPressItem.objects.create(
                    site=self.site, kind=WordPressItem.Kind.ATTACHMENT, key=wp_id,
                    guid=_clip(item.guid, 500), title=_clip(ref.title, 255), url=_clip(url, 500),
                    image=image,
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
        self._remember(self.attachments, wp_id, ref)
        self._remember(self.media, media_key(url), ref)
        if ref.parent and ref.parent != "0":
            siblings = self.children[ref.parent]
            siblings.append(wp_id)
            self.scope.undo.append(lambda: siblings.remove(wp_id) if wp_id in siblings else None)

    def _attachment_file(self, item, wp_id, url, ref) -> tuple[Image | None, bool]:
        """The attachment's file from --media-dir, stored like an upload (blog.images); and
        whether there is one (a dry run finds files but processes none: that would write them)."""
        extension = os.path.splitext(urlsplit(url).path)[1].lower()
        if extension and extension not in IMAGE_EXTENSIONS:
            self._found("not_images", "attachment", wp_id, ref.title, url)
            return None, False
        if self.media_dir is None:
            self.scope.report.files_without_media_dir += 1
            return None, False
        path = self._find_file(url, item.meta.get("_wp_attached_file", ""))
        if path is None:
            self._found("missing_files", "attachment", wp_id, ref.title, url)
            return None, False
        if self.dry_run:
            return None, True
        try:
            with open(path, "rb") as handle:
                stored = images.store_renditions(File(handle, name=os.path.basename(path)))
        except ImageRejected as exc:
            self._found("rejected_files", "attachment", wp_id, ref.title,
                        f"{os.path.basename(path)}: {' '.join(exc.messages)}")
            return None, False
        self.scope.files.append(stored.renditions)  # removed if this item rolls back
        uploader = self._user_for(item.creator) if item.creator else None
        image = images.save_image(stored, uploaded_by=uploader,
                                  created_at=self._date(item) or self.now)
        return image, True

    def _find_file(self, url: str, attached_file: str) -> str | None:
        """`…/wp-content/uploads/2010/12/x.jpg` → DIR/2010/12/x.jpg or DIR/wp-content/uploads/…"""
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
        root = str(self.media_dir)
        for relative in candidates:
            relative = relative.lstrip("/")
            for option in (relative, f"wp-content/uploads/{relative}"):
                full = os.path.normpath(os.path.join(root, option))
                # The file names come from the export: never outside the given folder.
                if full.startswith(root + os.sep) and os.path.isfile(full):
                    return full
        return None

    def _media_lookup(self, url: str) -> AttachmentRef | None:
        key, _width = resized_key(url)
        return self.media.get(key) or self.media.get(media_key(url))

    # --- posts and pages ----------------------------------------------------------------------
    def _require_id(self, item: reader.Item) -> str:
        if not item.post_id.isdigit():
            raise SkipItem(_("geen geldig WordPress-id (“%(id)s”)") % {"id": item.post_id})
        return item.post_id

    def _mapping(self, kind: str, key: str, guid: str, target: str) -> WordPressItem | None:
        """This item from an earlier run: by site and id, or else by its guid (the same post
        from a site that changed its address). One query."""
        match = Q(site=self.site, key=key)
        if guid:
            match |= Q(guid=_clip(guid, 500))
        rows = list(WordPressItem.objects.filter(match, kind=kind).select_related(target)
                    .order_by("pk"))
        return next((row for row in rows if row.site == self.site and row.key == key),
                    rows[0] if rows else None)

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
                raise SkipItem(_("gepubliceerd zonder geldige datum"))
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

    def _slug(self, model, post_name: str) -> str:
        base = slugify(unquote(post_name or ""))[:200].strip("-")
        if not base:
            return ""  # the model makes one from the title
        if not model.objects.filter(slug=base).exists():
            return base
        return unique_slug(model, base, max_length=200)

    def _body(self, raw: str, wp_id: str) -> str:
        context = ShortcodeContext(post_id=wp_id, attachments=self.attachments,
                                   children=self.children)
        # Post.save() and Page.save() sanitise body_html: no need to do it twice here.
        body = body_to_html(raw, context=context, lookup=self._media_lookup, sanitize=False,
                            site_url=settings.SITE_URL)
        self.scope.report.unknown_shortcodes.update(context.unknown)
        self.scope.report.placeholders += context.placeholders
        return body

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

    def _post(self, item: reader.Item) -> None:
        wp_id = self._require_id(item)
        title = plain_text(item.title)
        row = self._mapping(WordPressItem.Kind.POST, wp_id, item.guid, "post")
        if row is not None:
            self.scope.report.existing["post"] += 1
            if row.post is None:
                self._found("deleted", "post", wp_id, title)
                return
            self._complete(row.post, item, wp_id, title)
            return

        status, publish_at, label, note = self._status(item, "post", wp_id, title)
        when = self._date(item)
        author = self._user_for(item.creator or "wordpress")
        intro, markdown, body = self._sources(item)
        post = Post(
            title=_clip(title, 200) or _("Zonder titel (%(id)s)") % {"id": wp_id},
            slug=self._slug(Post, item.post_name),
            author=author,
            intro=intro,
            body_markdown=markdown,
            body_html="" if markdown else self._body(body, wp_id),
            excerpt=_clip(plain_text(item.excerpt), 600),
            allow_comments=item.comment_status.lower() != "closed",
            created_at=when or self.now,
        )
        self._link_featured(post, item, wp_id, title)
        self._link_trend(post, item, wp_id, title)
        post.save()
        self._tag(post, item)
        workflow.restore_imported(post=post, status=status, publish_at=publish_at, note=note)
        WordPressItem.objects.create(
            site=self.site, kind=WordPressItem.Kind.POST, key=wp_id, guid=_clip(item.guid, 500),
            title=_clip(title, 255), url=_clip(item.link, 500), post=post,
            meta={"status": item.status, "type": "post"},
        )
        self.scope.report.created[("post", label)] += 1
        self._redirect(item, wp_id, post=post)
        self._comments(item, post, wp_id)

    def _complete(self, post: Post, item: reader.Item, wp_id: str, title: str) -> None:
        """A post from an earlier run: add what was missing then, change nothing else."""
        fields = []
        if post.trend_id is None and self._link_trend(post, item, wp_id, title):
            fields.append("trend")
        if post.featured_image_id is None and self._link_featured(post, item, wp_id, title,
                                                                   report=False):
            fields += ["featured_image", "featured_image_alt"]
        if fields:
            post.save(update_fields=fields)
        self._redirect(item, wp_id, post=post)
        self._comments(item, post, wp_id)

    def _link_featured(self, post, item, wp_id, title, *, report=True) -> bool:
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if not thumbnail:
            return False
        image_pk = self.attachment_images.get(thumbnail)
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

    def _tag(self, post: Post, item: reader.Item) -> None:
        """Categories and tags both become tags, looked up in one cache (no query per tag)."""
        tags: dict[int, Tag] = {}
        for term in item.terms:
            domain = term.domain.lower()
            if domain not in {"category", "post_tag", "tag"}:
                continue  # post formats and other taxonomies carry no reader-facing label
            slug = slugify(unquote(term.slug)) if term.slug else ""
            name = plain_text(term.name) or unquote(term.slug)
            if domain == "category" and (slug or slugify(name)) in DEFAULT_CATEGORIES:
                continue
            if not name:
                continue
            tag = self._tag_for(name, slug)
            tags[tag.pk] = tag
        if not tags:
            return
        through = Post.tags.through
        pk_set = set(tags)
        m2m_changed.send(sender=through, action="pre_add", instance=post, reverse=False,
                         model=Tag, pk_set=pk_set, using="default")
        through.objects.bulk_create(
            [through(content_object=post, tag=tag) for tag in tags.values()]
        )
        m2m_changed.send(sender=through, action="post_add", instance=post, reverse=False,
                         model=Tag, pk_set=pk_set, using="default")

    def _tag_for(self, name: str, slug: str) -> Tag:
        if self.tags_by_slug is None:
            self.tags_by_slug, self.tags_by_name = {}, {}
            for tag in Tag.objects.all():
                self.tags_by_slug[tag.slug] = tag
                self.tags_by_name[tag.name.lower()] = tag
        name = name[:100]
        slug = (slug or slugify(name))[:100].strip("-")
        tag = self.tags_by_slug.get(slug) if slug else None
        tag = tag or self.tags_by_name.get(name.lower())
        if tag is not None:
            return tag
        base = slug or "tag"
        candidate, n = base, 2
        while candidate in self.tags_by_slug:
            candidate = f"{base[:95]}-{n}"
            n += 1
        tag = Tag.objects.create(name=name, slug=candidate)
        self._remember(self.tags_by_slug, candidate, tag)
        self._remember(self.tags_by_name, name.lower(), tag)
        self.scope.report.tags += 1
        return tag

    def _page(self, item: reader.Item) -> None:
        wp_id = self._require_id(item)
        title = plain_text(item.title)
        row = self._mapping(WordPressItem.Kind.PAGE, wp_id, item.guid, "page")
        if row is not None:
            self.scope.report.existing["page"] += 1
            if row.page is None:
                self._found("deleted", "page", wp_id, title)
            else:
                self._redirect(item, wp_id, page=row.page)
            return
        status, _when, _label, _note = self._status(item, "page", wp_id, title)
        published = status == Status.APPROVED and _when <= self.now
        _intro, markdown, body = self._sources(item)
        page = Page(
            title=_clip(title, 200) or _("Zonder titel (%(id)s)") % {"id": wp_id},
            slug=self._slug(Page, item.post_name),
            body_markdown=markdown,
            body_html="" if markdown else self._body(body, wp_id),
            is_published=published,
            created_at=self._date(item) or self.now,
        )
        page.save()
        WordPressItem.objects.create(
            site=self.site, kind=WordPressItem.Kind.PAGE, key=wp_id, guid=_clip(item.guid, 500),
            title=_clip(title, 255), url=_clip(item.link, 500), page=page,
            meta={"status": item.status, "type": "page", "parent": item.post_parent},
        )
        self.scope.report.created[("page", "published" if published else "hidden")] += 1
        self._redirect(item, wp_id, page=page)
        if item.comments:
            self.scope.report.ignored_comments[_("bij een pagina")] += len(item.comments)

    # --- old links ----------------------------------------------------------------------------
    def _redirect(self, item: reader.Item, wp_id: str, *, post=None, page=None) -> None:
        """The item's old permalink and its `?p=<id>` form both lead to the new address."""
        paths = {f"{self.base_path}/?p={wp_id}"}
        if page is not None:
            paths.add(f"{self.base_path}/?page_id={wp_id}")
        for url in (item.link, item.guid if "?" in item.guid else ""):
            old = old_path(url)
            if old and old not in {"/", self.base_path + "/"}:
                paths.add(old)
        paths = {p for p in paths if len(p) <= 500}
        existing = dict(
            LegacyRedirect.objects.filter(old_path__in=paths)
            .values_list("old_path", "post_id" if post is not None else "page_id")
        )
        target = post if post is not None else page
        fresh = []
        for path in sorted(paths):
            if path not in existing:
                fresh.append(LegacyRedirect(old_path=path, post=post, page=page))
            elif existing[path] != target.pk:
                self._found("redirect_conflicts", "post" if post is not None else "page",
                            wp_id, plain_text(item.title), path)
        LegacyRedirect.objects.bulk_create(fresh)
        self.scope.report.redirects += len(fresh)

    # --- comments -----------------------------------------------------------------------------
    def _comments(self, item: reader.Item, post: Post, wp_id: str) -> None:
        """Comments with their threading; each WordPress comment id comes in once."""
        if not item.comments:
            return
        keyed = []
        for comment in item.comments:
            kind = (comment.type or "comment").lower()
            if kind in {"pingback", "trackback"}:
                self.scope.report.ignored_comments[kind] += 1
                continue
            if kind != "comment":
                self.scope.report.ignored_comments[kind] += 1
                continue
            keyed.append((_comment_key(comment), comment))
        known = dict(
            WordPressItem.objects.filter(
                site=self.site, kind=WordPressItem.Kind.COMMENT, key__in=[k for k, _c in keyed]
            ).values_list("key", "comment_id")
        )
        self.scope.report.existing["comment"] += len(known)
        placed: dict[str, int | None] = dict(known)
        waiting = [(key, c) for key, c in keyed if key not in known]
        in_file = {key for key, _c in keyed}
        rows = []
        # Parents before their replies, whatever the order in the file.
        while waiting:
            ready = [(k, c) for k, c in waiting
                     if c.parent in {"", "0"} or c.parent in placed or c.parent not in in_file]
            if not ready:  # a cycle of parents: break it at the first
                ready = waiting[:1]
            ready_keys = {k for k, _c in ready}
            waiting = [(k, c) for k, c in waiting if k not in ready_keys]
            for key, comment in ready:
                created = self._comment(comment, post, placed, wp_id)
                placed[key] = created.pk if created else None
                if created is not None:
                    rows.append(WordPressItem(
                        site=self.site, kind=WordPressItem.Kind.COMMENT, key=key,
                        comment=created, title=_clip(created.name, 255),
                        meta={"post": wp_id, "parent": comment.parent},
                    ))
        WordPressItem.objects.bulk_create(rows)

    def _comment(self, comment, post: Post, placed: dict, wp_id: str) -> Comment | None:
        body = comment_to_text(comment.content)
        if not body:
            self.scope.report.ignored_comments[_("leeg")] += 1
            return None
        parent_pk = None
        if comment.parent not in {"", "0"}:
            parent_pk = placed.get(comment.parent)
            if parent_pk is None:
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
            post=post,
            parent_id=parent_pk,
            user_id=user_pk,
            name=_clip(plain_text(comment.author), 80) or _("Anoniem"),
            email=email,
            url=url,
            body=body,
            status=status,
            is_author_reply=user_pk is not None and user_pk == post.author_id,
            created_at=self._comment_date(comment, post),
        )
        created.save()
        self.scope.report.created[("comment", status)] += 1
        return created

    def _comment_date(self, comment, post: Post) -> datetime:
        gmt = _parse_wp_date(comment.date_gmt, strict=False)
        if gmt is not None:
            return gmt.replace(tzinfo=UTC)
        local = _parse_wp_date(comment.date, strict=False)
        if local is not None:
            return timezone.make_aware(local, WORDPRESS_TIMEZONE)
        return post.publish_at or post.created_at


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
