"""The mailing-list digest: every confirmed subscriber gets every new live post once.

`send_digest()` (the `send_digest` command, run from cron on any number of nodes):

1. Finish every unfinished run first (a crash, an SMTP outage, another node still busy).
2. Open the next run for the window [high-water mark, now): the live posts whose
   `publish_at` falls in it (and late arrivals no run has mailed), and one delivery per
   confirmed subscriber, in one transaction. Runs are numbered and the number is unique,
   so when two nodes open the same run at once the database keeps one; the other joins
   it in step 3.
3. Work through the run's deliveries. Each is claimed in its own short transaction
   (`select_for_update(skip_locked=True)` on PostgreSQL, and a conditional UPDATE that is
   race-free on any database), mailed outside any transaction, then marked sent. Nodes
   sharing a run take different deliveries.

Exactly once, and what gives when something breaks:
- A subscriber gets only posts that went live at or after their confirmation.
- A send that raises is released for a later attempt (DIGEST_MAX_ATTEMPTS in all); after
  DIGEST_ABORT_AFTER_FAILURES failures in a row (the mail server is down) the command
  stops with an error and the next cron run resumes.
- A process that dies between handing a mail over and recording it leaves the delivery
  "sending". After CLAIM_LEASE it is marked interrupted and not sent again: it may have
  gone out, and sending nobody twice is the promise.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blog.models import Post
from core.http import absolute_url
from core.mail import build_templated_mail
from newsletter.models import DigestDelivery, DigestRun, DigestRunPost, Subscriber
from newsletter.subscriptions import list_headers, unsubscribe_url

logger = logging.getLogger(__name__)

State = DigestDelivery.State

CLAIM_LEASE = timedelta(minutes=15)
LATE_ARRIVALS = timedelta(days=1)
DIGEST_MAX_ATTEMPTS = 3
DIGEST_ABORT_AFTER_FAILURES = 3
BATCH_SIZE = 1000


class DigestAborted(Exception):
    """The mail server keeps refusing: stop, leave the rest for the next run."""


@dataclass
class RunReport:
    number: int
    window_start: datetime
    window_end: datetime
    post_titles: list[str]
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    finished: bool = False


@dataclass
class Plan:
    """What a run would do now (for --dry-run): nothing is written or sent."""

    unfinished: list[tuple[DigestRun, int]] = field(default_factory=list)
    window: tuple[datetime, datetime] | None = None
    posts: list[Post] = field(default_factory=list)
    recipients: int = 0


# --- composing ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DigestItem:
    """A post as a digest shows it, composed once per run (not once per subscriber)."""

    publish_at: datetime
    title: str
    author: str
    date: str
    summary: str
    url: str

    @classmethod
    def of(cls, post: Post) -> "DigestItem":
        return cls(
            publish_at=post.publish_at,
            title=post.title,
            author=post.author.display_name,
            date=date_format(timezone.localtime(post.publish_at), "j F Y"),
            summary=post.summary,
            url=absolute_url(post.get_absolute_url()),
        )


def run_items(run: DigestRun) -> list[DigestItem]:
    """The run's posts that are still live, oldest first (one query)."""
    posts = run.posts.live().select_related("author__profile").order_by("publish_at", "pk")
    return [DigestItem.of(post) for post in posts]


def items_for(subscriber: Subscriber, items: list[DigestItem]) -> list[DigestItem]:
    """Only posts that went live once the subscriber had confirmed."""
    if subscriber.confirmed_at is None:
        return []
    return [item for item in items if item.publish_at >= subscriber.confirmed_at]


def build_message(subscriber: Subscriber, items: list[DigestItem]):
    """The digest for one subscriber: plain text and HTML, with one-click unsubscribe."""
    if len(items) == 1:
        subject = _("Nieuw op %(site)s: %(title)s") % {
            "site": settings.SITE_NAME, "title": items[0].title
        }
    else:
        subject = ngettext(
            "%(count)d nieuw bericht op %(site)s",
            "%(count)d nieuwe berichten op %(site)s",
            len(items),
        ) % {"count": len(items), "site": settings.SITE_NAME}
    return build_templated_mail(
        template="digest",
        subject=subject,
        to=[subscriber.email],
        context={
            "subscriber": subscriber,
            "items": items,
            "unsubscribe_url": unsubscribe_url(subscriber),
        },
        headers=list_headers(subscriber),
    )


# --- opening a run --------------------------------------------------------------------------

def high_water_mark() -> datetime | None:
    """Where the next run's window starts: the end of the last run, or (before the first
    run) the first confirmation, since nobody may get a post from before they confirmed."""
    last = DigestRun.objects.order_by("-number").values_list("window_end", flat=True).first()
    if last is not None:
        return last
    return _first_confirmation()


def _first_confirmation() -> datetime | None:
    return Subscriber.objects.active().aggregate(first=Min("confirmed_at"))["first"]


def _window_posts(start: datetime, end: datetime):
    """Live posts of [start, end), plus late arrivals: posts of the LATE_ARRIVALS before
    `start` that no run has mailed yet (a "publish now" that committed just after the last
    run looked, a publication moment typed a few minutes late). Each post is mailed once."""
    first = _first_confirmation()
    lower = start if first is None else min(start, max(start - LATE_ARRIVALS, first))
    return (
        Post.objects.live(now=end)
        .filter(publish_at__gte=lower, publish_at__lt=end)
        .exclude(pk__in=DigestRunPost.objects.values("post_id"))
        .order_by("publish_at", "pk")
    )


def _recipients(latest_publish_at: datetime):
    """Confirmed subscribers for whom at least one post of the window is new."""
    return Subscriber.objects.active().filter(confirmed_at__lte=latest_publish_at)


def open_run(now: datetime | None = None) -> DigestRun | None:
    """Open the next run if there is something new; None if not (or another node did)."""
    now = now or timezone.now()
    with transaction.atomic():
        last_number = (
            DigestRun.objects.order_by("-number").values_list("number", flat=True).first() or 0
        )
        start = high_water_mark()
        if start is None or start >= now:
            return None
        posts = list(_window_posts(start, now).values_list("pk", "publish_at"))
        if not posts:
            return None
        try:
            with transaction.atomic():
                run = DigestRun.objects.create(
                    number=last_number + 1, window_start=start, window_end=now, started_at=now
                )
        except IntegrityError:
            logger.info("digest: run %s was opened by another process", last_number + 1)
            return None
        run.posts.set([pk for pk, _publish_at in posts])
        latest = max(publish_at for _pk, publish_at in posts)
        batch = []
        for subscriber_id in _recipients(latest).values_list("pk", flat=True).iterator():
            batch.append(DigestDelivery(run=run, subscriber_id=subscriber_id))
            if len(batch) >= BATCH_SIZE:
                DigestDelivery.objects.bulk_create(batch)
                batch = []
        DigestDelivery.objects.bulk_create(batch)
    logger.info("digest: opened run %s with %s posts", run.number, len(posts))
    return run


# --- working through a run ------------------------------------------------------------------

def _claim(run: DigestRun, *, tried: set[int]) -> DigestDelivery | None:
    """Take the next pending delivery of `run` for this process, or None when none is left."""
    while True:
        with transaction.atomic():
            pk = (
                DigestDelivery.objects.select_for_update(skip_locked=True)
                .filter(run=run, state=State.PENDING)
                .exclude(pk__in=tried)
                .order_by("pk")
                .values_list("pk", flat=True)
                .first()
            )
            if pk is None:
                return None
            taken = DigestDelivery.objects.filter(pk=pk, state=State.PENDING).update(
                state=State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
            )
            if taken:  # otherwise another process took it first (SQLite): try the next one
                return DigestDelivery.objects.select_related("subscriber").get(pk=pk)


def _finish(delivery: DigestDelivery, state: str, **fields) -> None:
    DigestDelivery.objects.filter(pk=delivery.pk).update(state=state, **fields)


def _error_text(delivery: DigestDelivery, error: BaseException) -> str:
    """The error for the admin, without the address (it outlives an erased subscriber)."""
    text = f"{type(error).__name__}: {error}"
    if delivery.subscriber is not None:
        text = re.sub(re.escape(delivery.subscriber.email), "<adres>", text, flags=re.I)
    return text[:500]


def _release(delivery: DigestDelivery, error: BaseException) -> None:
    """The send raised, so the mail did not go out: try again later, or give up."""
    final = delivery.attempts >= DIGEST_MAX_ATTEMPTS
    _finish(
        delivery,
        State.FAILED if final else State.PENDING,
        claimed_at=None,
        error=_error_text(delivery, error),
    )


def expire_interrupted(run: DigestRun, now: datetime | None = None) -> int:
    """Deliveries whose sender died mid-send: maybe sent, so never sent again."""
    cutoff = (now or timezone.now()) - CLAIM_LEASE
    return DigestDelivery.objects.filter(
        run=run, state=State.SENDING, claimed_at__lt=cutoff
    ).update(
        state=State.INTERRUPTED,
        error=_("Verzenden onderbroken; mogelijk toch verstuurd, dus niet opnieuw geprobeerd."),
    )


def _close_if_done(run: DigestRun) -> bool:
    if run.deliveries.filter(state__in=State.open()).exists():
        return False
    DigestRun.objects.filter(pk=run.pk, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )
    return True


def process_run(run: DigestRun, *, connection=None) -> RunReport:
    """Send this process's share of `run`; raises DigestAborted when the server keeps failing."""
    expire_interrupted(run)
    items = run_items(run)
    report = RunReport(run.number, run.window_start, run.window_end, [i.title for i in items])
    connection = connection or get_connection()
    tried: set[int] = set()
    failures_in_a_row = 0
    while (delivery := _claim(run, tried=tried)) is not None:
        subscriber = delivery.subscriber
        mine = items_for(subscriber, items) if subscriber else []
        if subscriber is None or not subscriber.is_active_subscriber or not mine:
            # Unsubscribed (or erased, or the post withdrawn) since the run was opened.
            _finish(delivery, State.SKIPPED)
            report.skipped += 1
            continue
        message = build_message(subscriber, mine)
        message.connection = connection
        try:
            connection.open()  # once: later calls keep the open connection
            message.send()
        except Exception as exc:
            tried.add(delivery.pk)
            _release(delivery, exc)
            report.failed += 1
            failures_in_a_row += 1
            logger.warning("digest: run %s, delivery %s failed: %s", run.number, delivery.pk, exc)
            connection.close()  # a fresh connection for the next one
            if failures_in_a_row >= DIGEST_ABORT_AFTER_FAILURES:
                raise DigestAborted(
                    _("Digest %(number)s gestopt na %(count)s mislukte verzendingen op rij: "
                      "%(error)s") % {"number": run.number, "count": failures_in_a_row,
                                      "error": exc}
                ) from exc
            continue
        except BaseException as exc:  # interrupted inside send(): it did not complete
            _release(delivery, exc)
            raise
        _finish(delivery, State.SENT, sent_at=timezone.now(), post_count=len(mine), error="")
        report.sent += 1
        failures_in_a_row = 0
    report.finished = _close_if_done(run)
    return report


def _unfinished_runs():
    return DigestRun.objects.filter(finished_at__isnull=True).order_by("number")


def send_digest() -> list[RunReport]:
    """Finish earlier runs, open the next one, send it. Safe on any number of nodes at once."""
    connection = get_connection()  # opened at the first mail, shared by all of them
    reports = []
    done: set[int] = set()
    try:
        for step in ("resume", "open"):
            if step == "open":
                open_run()
            for run in _unfinished_runs():
                if run.pk not in done:
                    done.add(run.pk)
                    reports.append(process_run(run, connection=connection))
    finally:
        connection.close()
    return reports


def waiting_posts(now: datetime | None = None):
    """Live posts the next run would mail (none before anyone has confirmed)."""
    now = now or timezone.now()
    start = high_water_mark()
    if start is None or start >= now:
        return Post.objects.none()
    return _window_posts(start, now)


def plan(now: datetime | None = None) -> Plan:
    """What `send_digest` would do now, without writing or sending anything."""
    now = now or timezone.now()
    result = Plan()
    for run in _unfinished_runs():
        result.unfinished.append(
            (run, run.deliveries.filter(state__in=State.open()).count())
        )
    result.posts = list(waiting_posts(now).select_related("author__profile"))
    if result.posts:
        result.window = (high_water_mark(), now)
        result.recipients = _recipients(max(p.publish_at for p in result.posts)).count()
    return result
