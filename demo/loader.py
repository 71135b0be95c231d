"""Writes the demo content through the project's own domain code, idempotently.

Everything is keyed on a stable identifier (username, slug, trend-list year and trend number)
and only created when missing; what exists is left exactly as it is, including what an editor
changed after an earlier run. A post's comments, featured image and workflow history are
created together with the post, so a second run adds and changes nothing.

Status goes through `blog.workflow` only: the 2010 archive with `restore_imported` (it is the
blog's history), the coming December's series through the real transitions with real actors.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuthorProfile, User
from accounts.profiles import PHOTO_FOLDER
from blog import editing, workflow
from blog import images as post_images
from blog.models import Page, Post, PostEvent, Series, Status
from blog.scheduling import local_slot, slot_days, taken_days
from comments.models import Comment
from core.images import delete_stored, process_image
from demo import data, images
from trends.models import Trend, TrendList

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ARCHIVE_NOTE = "Uit het archief van het blog (demo-inhoud)."
# A scheduled demo post lies at least this far ahead, so it is not live a moment later.
SCHEDULE_MARGIN = timedelta(hours=1)


@dataclass
class Account:
    username: str
    password: str
    name: str
    role: str


@dataclass
class DemoResult:
    created: Counter = field(default_factory=Counter)
    accounts: list[Account] = field(default_factory=list)
    coming_year: int | None = None
    series_slugs: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return any(self.created.values())


def amsterdam(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def coming_december(now: datetime, *, slots_needed: int) -> tuple[int, list[datetime]]:
    """The next December (this one or the next) that still has `slots_needed` publication
    slots ahead of `now`, and those slots: days without an approved post first."""
    local_now = timezone.localtime(now, AMSTERDAM)
    for year in (local_now.year, local_now.year + 1):
        days = []
        for day in slot_days(date(year, 12, 1), weekdays=settings.PUBLISH_SLOT_WEEKDAYS):
            if day.month != 12:
                break
            if local_slot(day) > now + SCHEDULE_MARGIN:
                days.append(day)
        if len(days) >= slots_needed:
            taken = taken_days(since=local_slot(days[0], time(0, 0)))
            ordered = [d for d in days if d not in taken] + [d for d in days if d in taken]
            return year, sorted(local_slot(d) for d in ordered[:slots_needed])
    raise AssertionError("unreachable: every December has enough weekdays")  # pragma: no cover


class DemoLoader:
    """One run of the demo. `load()` is one transaction; call `discard_files()` if it fails."""

    def __init__(self, *, now: datetime | None = None):
        self.now = now or timezone.now()
        self.result = DemoResult()
        self._stored: list[dict[str, str]] = []

    # --- entry points ------------------------------------------------------------------------
    @transaction.atomic
    def load(self) -> DemoResult:
        editor = self.editor()
        authors = {person.username: self.author(person) for person in data.GUESTS}
        authors.update(
            {person.username: self.author(person) for person in data.SERIES_ONLY_AUTHORS}
        )
        trends_2010 = self.trend_list(
            2010, data.TRENDS_2010_TITLE, data.TRENDS_2010_INTRO, data.TRENDS_2010
        )
        for page in data.PAGES:
            self.page(page)
        for spec in data.EDITOR_POSTS:
            self.editor_post(spec, editor=editor, trends=trends_2010)
        self.series_2010(authors=authors, trends=trends_2010)
        self.coming_series(editor=editor, authors=authors)
        return self.result

    def discard_files(self) -> None:
        """Remove the pictures this run stored (the transaction that named them rolled back)."""
        for renditions in self._stored:
            delete_stored(renditions)
        self._stored.clear()

    # --- people ------------------------------------------------------------------------------
    def editor(self) -> User:
        person = data.EDITOR
        user = User.objects.filter(username=person.username).first()
        if user is None:
            user = User(
                username=person.username,
                email=f"{person.username}@welzijn.example.org",
                first_name=person.first_name,
                last_name=person.last_name,
                # Editors are staff; accounts.permissions grants staff every admin permission.
                is_staff=True,
            )
            user.set_password(data.EDITOR_PASSWORD)
            user.save()
            self.result.created["accounts"] += 1
        self.profile(user, person)
        self.result.accounts.append(
            Account(person.username, data.EDITOR_PASSWORD, person.display_name, "redactie")
        )
        return user

    def author(self, person: data.Person) -> User:
        user = User.objects.filter(username=person.username).first()
        if user is None:
            user = User(
                username=person.username,
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
            )
            if person.can_log_in:
                user.set_password(data.GUEST_PASSWORD)
            else:
                user.set_unusable_password()
            user.save()
            self.result.created["accounts"] += 1
        self.profile(user, person)
        if person.can_log_in:
            self.result.accounts.append(
                Account(person.username, data.GUEST_PASSWORD, person.display_name, "gastauteur")
            )
        return user

    def profile(self, user: User, person: data.Person) -> None:
        if AuthorProfile.objects.filter(user=user).exists():
            return
        avatar = images.avatar(person.initials, person.palette)
        photo = process_image(ContentFile(avatar, name=f"{person.username}.png"),
                              folder=PHOTO_FOLDER)
        self.remember(photo.renditions)
        AuthorProfile.objects.create(
            user=user,
            display_name=person.display_name,
            bio=person.bio,
            organisation=person.organisation,
            role=person.role,
            photo=photo.name,
            photo_renditions=photo.renditions,
        )
        self.result.created["author profiles"] += 1

    # --- trends, pages -----------------------------------------------------------------------
    def trend_list(self, year: int, title: str, intro: str, specs) -> dict[int, Trend]:
        trend_list, created = TrendList.objects.get_or_create(
            year=year, defaults={"title": title, "intro": intro}
        )
        self.result.created["trend lists"] += int(created)
        existing = set(trend_list.trends.values_list("number", flat=True))
        for spec in specs:
            if spec.number in existing:
                continue
            Trend.objects.create(
                trend_list=trend_list,
                number=spec.number,
                title=spec.title,
                description=spec.description[:1].upper() + spec.description[1:],
                outcome=spec.outcome,
                outcome_note=spec.outcome_note,
            )
            self.result.created["trends"] += 1
        return {trend.number: trend for trend in trend_list.trends.all()}

    def page(self, spec: data.PageSpec) -> None:
        _, created = Page.objects.get_or_create(
            slug=spec.slug, defaults={"title": spec.title, "body_markdown": spec.text}
        )
        self.result.created["pages"] += int(created)

    # --- the archive (2009–2011) -------------------------------------------------------------
    def archived_post(
        self, *, author: User, publish_at: datetime, fields: dict, tags, banner=None
    ) -> Post | None:
        """A post from the blog's history: created, then given its published status."""
        if Post.objects.filter(slug=fields["slug"]).exists():
            return None
        if banner is not None:
            fields = {**fields, **self.featured_image(banner, uploaded_by=author)}
        post = editing.create_post(author=author, fields=fields, tags=list(tags))
        workflow.restore_imported(
            post=post, status=Status.APPROVED, publish_at=publish_at, note=ARCHIVE_NOTE
        )
        # Written a few days before it appeared, as on the original blog.
        Post.objects.filter(pk=post.pk).update(created_at=publish_at - timedelta(days=3))
        self.result.created["posts"] += 1
        return post

    def editor_post(self, spec: data.EditorPost, *, editor: User, trends) -> None:
        text = spec.text
        if spec.slug == data.TRENDS_POST_SLUG:
            text = "\n\n".join([text, trends_markdown(data.TRENDS_2010), trends_footer(2010)])
        elif spec.slug == data.INDEX_POST_SLUG:
            text = "\n\n".join([text, series_2010_schedule_markdown()])
        self.archived_post(
            author=editor,
            publish_at=amsterdam(*spec.published),
            fields={
                "title": spec.title,
                "slug": spec.slug,
                "body_markdown": text,
                "trend": trends.get(spec.trend) if spec.trend else None,
            },
            tags=spec.tags,
            banner=spec.banner,
        )

    def series_2010(self, *, authors: dict[str, User], trends: dict[int, Trend]) -> None:
        series, created = Series.objects.get_or_create(
            slug=data.SERIES_2010_SLUG,
            defaults={
                "title": data.SERIES_2010_TITLE,
                "intro": data.SERIES_2010_INTRO,
                "trend_list": trends[1].trend_list if trends else None,
                "created_at": amsterdam(2010, 12, 5, 20, 0),
            },
        )
        self.result.created["series"] += int(created)
        self.result.series_slugs.append(series.slug)
        last = len(data.SERIES_2010)
        for position, spec in enumerate(data.SERIES_2010, start=1):
            trend = trends.get(spec.trend) if spec.trend else None
            post = self.archived_post(
                author=authors[spec.author],
                publish_at=amsterdam(2010, 12, spec.day, data.SERIES_2010_HOUR),
                fields={
                    "title": spec.title,
                    "slug": spec.slug,
                    "intro": guest_intro(spec, trend),
                    "body_markdown": guest_body(spec, is_last=position == last),
                    "trend": trend,
                    "series": series,
                    "series_position": position,
                },
                tags=spec.tags,
                banner=spec.banner,
            )
            if post is not None:
                for comment in spec.comments:
                    self.comment(post, comment)

    def comment(self, post: Post, spec: data.CommentSpec, parent: Comment | None = None) -> None:
        if spec.pending:
            created_at = self.now - spec.after  # recent: waiting in today's queue
        else:
            created_at = post.publish_at + spec.after
        comment = Comment.objects.create(
            post=post,
            parent=parent,
            user=post.author if spec.by_author else None,
            is_author_reply=spec.by_author,
            name=spec.name,
            email=spec.email,
            body=spec.body,
            status=Comment.Status.PENDING if spec.pending else Comment.Status.APPROVED,
            created_at=created_at,
        )
        self.result.created["comments"] += 1
        for reply in spec.replies:
            self.comment(post, reply, parent=comment)

    # --- the coming December -----------------------------------------------------------------
    def coming_series(self, *, editor: User, authors: dict[str, User]) -> None:
        scheduled = [p for p in data.COMING_POSTS if any(s.action == "approve" for s in p.steps)]
        year, slots = coming_december(self.now, slots_needed=len(scheduled))
        self.result.coming_year = year
        trends = self.trend_list(
            year,
            f"Trends welzijnswerk {year}",
            data.COMING_TRENDS_INTRO.format(year=year),
            data.COMING_TRENDS,
        )
        series, created = Series.objects.get_or_create(
            slug=f"gastbloggers-blikken-terug-op-{year}",
            defaults={
                "title": f"Gastbloggers blikken terug op {year}",
                "intro": data.COMING_SERIES_INTRO.format(year=year),
                "trend_list": trends[1].trend_list,
            },
        )
        self.result.created["series"] += int(created)
        self.result.series_slugs.append(series.slug)
        publish_at = dict(zip((p.position for p in scheduled), slots, strict=True))
        for spec in data.COMING_POSTS:
            self.coming_post(
                spec,
                year=year,
                author=authors[spec.author],
                editor=editor,
                series=series,
                trend=trends.get(spec.trend),
                publish_at=publish_at.get(spec.position),
            )

    def coming_post(
        self, spec: data.ComingPost, *, year, author, editor, series, trend, publish_at
    ) -> None:
        slug = f"{spec.slug_base}-{year}"
        if Post.objects.filter(slug=slug).exists():
            return
        post = editing.create_post(
            author=author,
            fields={
                "title": spec.title,
                "slug": slug,
                "body_markdown": spec.text,
                "trend": trend,
                "series": series,
                "series_position": spec.position,
            },
        )
        Post.objects.filter(pk=post.pk).update(created_at=self.now - spec.created_ago)
        for step in spec.steps:
            when = self.now - step.ago
            last_event = post.events.order_by("-pk").values_list("pk", flat=True).first() or 0
            if step.action == "submit":
                workflow.submit(post=post, actor=author, notify=False)
                Post.objects.filter(pk=post.pk).update(submitted_at=when)
            elif step.action == "edit_intro":
                post = editing.save_post(
                    post=post, actor=editor, expected_version=post.version,
                    fields={"intro": spec.intro},
                )
            elif step.action == "request_changes":
                workflow.request_changes(post=post, actor=editor, note=step.note, notify=False)
            elif step.action == "approve":
                workflow.approve(
                    post=post, actor=editor, publish_at=publish_at, note=step.note, notify=False
                )
            else:  # pragma: no cover - a typo in data.py
                raise ValueError(f"unknown demo step {step.action!r}")
            # Backdate what the step wrote, so the queue shows how long the post has waited.
            # Timestamps only: the status was set by the workflow above.
            PostEvent.objects.filter(post=post, pk__gt=last_event).update(created_at=when)
        self.result.created["posts"] += 1

    # --- pictures ----------------------------------------------------------------------------
    def remember(self, renditions: dict[str, str]) -> None:
        """Count a stored picture and keep its files for `discard_files`."""
        self._stored.append(renditions)
        self.result.created["images"] += 1

    def featured_image(self, banner: data.Banner, *, uploaded_by: User) -> dict:
        """A banner stored as a post image, the way the desk stores an upload."""
        png = images.banner(banner.label, banner.palette, banner.seed)
        name = f"{banner.label.replace(' ', '')}.png"
        image = post_images.store_upload(ContentFile(png, name=name), uploaded_by=uploaded_by)
        self.remember(image.renditions)
        return {"featured_image": image, "featured_image_alt": banner.alt}


# --- texts composed from the facts ------------------------------------------------------------

def trend_sentence(spec) -> str:
    return f"{spec.title}: {spec.description}"


def trends_markdown(specs) -> str:
    return "\n".join(f"{spec.number}. **{spec.title}**: {spec.description}" for spec in specs)


def trends_footer(year: int) -> str:
    url = reverse("blog:trendlist", kwargs={"year": year})
    return f"Hoe liep het af? Het [scorebord van {year}]({url}) houdt het bij."


def post_path(published: datetime, slug: str) -> str:
    local = timezone.localtime(published, AMSTERDAM)
    return reverse(
        "blog:post", kwargs={"year": local.year, "month": f"{local.month:02d}", "slug": slug}
    )


def series_2010_schedule_markdown() -> str:
    lines = ["Het programma:", ""]
    for spec in data.SERIES_2010:
        published = amsterdam(2010, 12, spec.day, data.SERIES_2010_HOUR)
        name = next(p.display_name for p in data.all_authors() if p.username == spec.author)
        lines.append(
            f"- {published:%d-%m-%Y}: [{spec.title}]({post_path(published, spec.slug)}) "
            f"door {name}"
        )
    series_url = reverse("blog:series", kwargs={"slug": data.SERIES_2010_SLUG})
    lines += ["", f"Alle gastblogs bij elkaar: [de reeks]({series_url})."]
    return "\n".join(lines)


def guest_intro(spec: data.GuestPost2010, trend: Trend | None) -> str:
    """The editor's introduction: who the guest is, then the trend, quoted."""
    if trend is None:
        return spec.lead
    trend_spec = next(t for t in data.TRENDS_2010 if t.number == trend.number)
    return f"{spec.lead}\n\n> “{trend_sentence(trend_spec)}”"


def guest_body(spec: data.GuestPost2010, *, is_last: bool) -> str:
    """The guest's text, a short bio, and the blog's closing calls."""
    closing = f"{spec.question} {data.CLOSING} {data.CLOSING_LAST if is_last else data.CLOSING_MORE}"
    return "\n\n".join([spec.text, f"*{spec.bio}*", closing])
