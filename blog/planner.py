"""The series planner: give a series' posts consecutive publication slots, all or nothing.

`make_plan` assigns one slot per chosen weekday (from a start date, at a local time, minus
skipped dates) to the series' submitted and approved posts in series order, and names what
stands in the way. `apply_plan` approves and schedules the posts through `blog.workflow` in
one transaction: either every post gets its slot or none does.

Slots are computed on local dates and only then made aware (see `blog.scheduling`), so a
series that runs across a DST change keeps its local time.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blog import workflow
from blog.models import Post, Series, Status
from blog.scheduling import holidays_between, local_slot, slot_days

PLANNED_STATUSES = (Status.SUBMITTED, Status.APPROVED)


class PlanError(workflow.WorkflowError):
    """The plan cannot be carried out as it stands (conflicts, or it changed meanwhile)."""


@dataclass
class PlanRow:
    post: Post
    slot: datetime | None = None
    action: str = "keep"  # "approve", "reschedule" or "keep" (already on this slot)
    problems: list[str] = field(default_factory=list)  # block the plan
    notes: list[str] = field(default_factory=list)  # worth knowing, do not block

    @property
    def local_slot(self) -> datetime | None:
        return timezone.localtime(self.slot) if self.slot else None


@dataclass
class LeftOut:
    post: Post
    reason: str


@dataclass
class Plan:
    series: Series
    start: date
    weekdays: tuple[int, ...]
    at: time
    skip: tuple[date, ...]
    rows: list[PlanRow]
    left_out: list[LeftOut]
    taken: dict[date, list[Post]]  # slot days already used by other posts
    include_holidays: bool = False
    holidays_skipped: dict[date, str] = field(default_factory=dict)  # within the plan

    @property
    def blocking(self) -> bool:
        return any(row.problems for row in self.rows)

    @property
    def changes(self) -> list[PlanRow]:
        return [row for row in self.rows if row.action != "keep"]

    @property
    def taken_days(self) -> list[date]:
        return sorted(self.taken)

    def fingerprint(self) -> str:
        """What the editor saw: posts, their state and slots. Confirm only that."""
        text = ";".join(
            f"{row.post.pk}:{row.post.status}:{row.post.version}:{row.slot.isoformat()}"
            for row in self.rows
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _series_posts(series: Series) -> list[Post]:
    return list(
        Post.objects.filter(series=series)
        .select_related("author__profile")
        .order_by("series_position", "pk")
    )


def _in_order(posts: list[Post]) -> list[Post]:
    # Posts without a position come last, in the order they were made.
    return sorted(posts, key=lambda p: (p.series_position is None, p.series_position or 0, p.pk))


def make_plan(
    *,
    series: Series,
    start: date,
    weekdays: Iterable[int],
    at: time,
    skip: Iterable[date] = (),
    include_holidays: bool = False,
    now: datetime | None = None,
) -> Plan:
    """Assign slots to the series' submitted and approved posts; three queries.

    Public holidays get no post unless `include_holidays`; the ones passed over are named.
    """
    now = now or timezone.now()
    weekdays, skip = tuple(sorted(set(weekdays))), tuple(sorted(set(skip)))
    rows: list[PlanRow] = []
    left_out: list[LeftOut] = []
    for post in _in_order(_series_posts(series)):
        if post.is_live_at(now):
            left_out.append(LeftOut(post, _("al gepubliceerd, blijft op zijn datum")))
        elif post.status in PLANNED_STATUSES:
            rows.append(PlanRow(post=post))
        else:
            left_out.append(LeftOut(
                post, _("nog niet ingediend (%(status)s): krijgt geen plek")
                % {"status": post.get_status_display().lower()},
            ))

    days = slot_days(start, weekdays=weekdays, skip=skip, skip_holidays=not include_holidays) \
        if weekdays else iter(())
    for row in rows:
        day = next(days, None)
        if day is None:
            break
        # Through UTC and back: a wall-clock time that does not exist (DST gap) shows.
        row.slot = local_slot(day, at).astimezone(UTC)
        if timezone.localtime(row.slot).time() != at:
            row.problems.append(_("Dit tijdstip bestaat niet op deze dag (zomertijd)."))
        if row.slot <= now:
            row.problems.append(_("Dit moment ligt in het verleden."))
        if row.post.status != Status.SUBMITTED:  # approved: it moves, or stays put
            row.action = "keep" if row.post.publish_at == row.slot else "reschedule"
        else:
            row.action = "approve"
            row.notes.append(_("Nog niet goedgekeurd: wordt bij bevestigen goedgekeurd."))
    if not weekdays:
        for row in rows:
            row.problems.append(_("Kies minstens één weekdag."))

    taken: dict[date, list[Post]] = {}
    slotted = [row for row in rows if row.slot]
    if slotted:
        first_day = timezone.localtime(slotted[0].slot).date()
        last_day = timezone.localtime(slotted[-1].slot).date()
        others = (
            Post.objects.announced()
            .filter(
                publish_at__gte=local_slot(first_day, time(0)),
                publish_at__lt=local_slot(last_day + timedelta(days=1), time(0)),
            )
            .exclude(pk__in=[row.post.pk for row in rows])
            .only("pk", "title", "publish_at", "slug")
            .order_by("publish_at")
        )
        for other in others:
            taken.setdefault(timezone.localtime(other.publish_at).date(), []).append(other)
        for row in slotted:
            for other in taken.get(timezone.localtime(row.slot).date(), []):
                row.problems.append(
                    _("Op deze dag staat al “%(title)s” (%(when)s).")
                    % {"title": other.title,
                       "when": date_format(timezone.localtime(other.publish_at), "H:i")}
                )
        taken = {day: posts for day, posts in taken.items()
                 if any(timezone.localtime(r.slot).date() == day for r in slotted)}
    holidays_skipped = {}
    if slotted and not include_holidays:
        last_day = timezone.localtime(slotted[-1].slot).date()
        holidays_skipped = {
            day: name for day, name in holidays_between(start, last_day).items()
            if day.weekday() in weekdays and day not in skip
        }
    return Plan(
        series=series, start=start, weekdays=weekdays, at=at, skip=skip,
        rows=rows, left_out=left_out, taken=taken, include_holidays=include_holidays,
        holidays_skipped=holidays_skipped,
    )


@transaction.atomic
def apply_plan(*, plan: Plan, actor, expected_fingerprint: str | None = None) -> list[PlanRow]:
    """Approve and schedule every planned post, or nothing: one transaction.

    With `expected_fingerprint` the plan is carried out only if it is still the plan the
    editor previewed (no post changed state or text meanwhile).
    """
    if not plan.rows:
        raise PlanError(_("Deze reeks heeft geen ingediende of goedgekeurde berichten om in te plannen."),
                        code="empty")
    if plan.blocking:
        raise PlanError(_("Los eerst de conflicten in het plan op."), code="conflicts")
    if expected_fingerprint is not None and expected_fingerprint != plan.fingerprint():
        raise PlanError(
            _("Het plan is veranderd sinds je het bekeek. Bekijk het nieuwe voorstel en bevestig opnieuw."),
            code="stale",
        )
    for row in plan.changes:
        if row.action == "approve":
            workflow.approve(post=row.post, actor=actor, publish_at=row.slot)
        else:
            workflow.reschedule(post=row.post, actor=actor, publish_at=row.slot)
    return plan.changes


def free_slots(count: int, *, after: datetime | None = None, at: time | None = None,
               weekdays: Iterable[int] | None = None, exclude_pks: Iterable[int] = ()
               ) -> list[datetime]:
    """The next `count` free publication slots (days without an approved post), in order."""
    after = after or timezone.now()
    local_after = timezone.localtime(after)
    weekdays = list(weekdays if weekdays is not None else settings.PUBLISH_SLOT_WEEKDAYS)
    if not weekdays or count <= 0:
        return []
    # One query: the days taken by posts other than the ones being (re)scheduled.
    posts = Post.objects.announced().filter(publish_at__gte=local_slot(local_after.date(), time(0)))
    if exclude_pks:
        posts = posts.exclude(pk__in=list(exclude_pks))
    taken = {timezone.localtime(moment).date() for moment in posts.values_list("publish_at", flat=True)}
    slots: list[datetime] = []
    for day in slot_days(local_after.date(), weekdays=weekdays):
        candidate = local_slot(day, at)
        if candidate > after and day not in taken:
            slots.append(candidate)
            if len(slots) == count:
                break
    return slots
