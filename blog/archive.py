"""The months that have live posts, with their counts, from the shared cache.

`/archief/`, the home page's list of years, the year and month archives and the sitemap all
need them, and counting them means grouping every live post. So the list is kept with the
page cache's pages (Redis with `REDIS_URL`, shared by all app nodes; else files shared by
the processes of one machine) and the list pages take their post counts from it instead of
counting.

Visibility is time-based: a scheduled post goes live at its `publish_at` without any write.
So an entry is valid only until the next scheduled `publish_at` (or an hour, whichever comes
first), and it also carries a generation: every saved or deleted post sets a new one (after
the commit), which makes every older entry unreachable at once, on every node. A cache that
is down is skipped: the list is then computed from the database on each request.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import caches
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.connection import ConnectionProxy

from blog.models import Post
from core import pagecache

logger = logging.getLogger(__name__)

# Kept where the page cache keeps its pages (Redis, or files every process on the machine
# reads): a write in one process must reach the month list of every other one. In each
# process's own memory, a post saved by one gunicorn worker, a cron job or another node left
# the others' lists as they were for up to an hour, and the first post of a new month was
# missing from their home page (its page starts at the newest month they knew).
cache = ConnectionProxy(caches, pagecache.ALIAS)

ENTRY_KEY = "blog:live-months"
GENERATION_KEY = "blog:live-months:generation"
MAX_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class Month:
    month: datetime  # the first of the month, 00:00 in Europe/Amsterdam
    count: int

    @property
    def year(self) -> int:
        return self.month.year


class LiveMonths(tuple):
    """Months with live posts, newest first."""

    @property
    def total(self) -> int:
        return sum(m.count for m in self)

    def years(self) -> list[int]:
        return list(dict.fromkeys(m.year for m in self))

    def in_year(self, year: int) -> "LiveMonths":
        return LiveMonths(m for m in self if m.year == year)

    def count_for(self, year: int, month: int | None = None) -> int:
        return sum(m.count for m in self
                   if m.year == year and (month is None or m.month.month == month))

    def seek(self, offset: int) -> tuple[dict, int]:
        """Where row `offset` of these months' posts (newest first) is: a filter that starts
        the list at the month it is in, and the offset left within that month."""
        before = 0
        for row in self:
            if offset < before + row.count:
                return {"publish_at__lt": month_after(row.month)}, offset - before
            before += row.count
        return {}, offset


def month_after(month: datetime) -> datetime:
    """The first moment of the next month, on the same (Amsterdam) calendar."""
    local = timezone.localtime(month)
    year, number = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return timezone.make_aware(datetime(year, number, 1), local.tzinfo)


def live_months(now=None) -> LiveMonths:
    return _kept(ENTRY_KEY, lambda now, known_until: _from_database(now), now)


def live_count(key: str, queryset, cap: int, now=None) -> int:
    """`bounded_count(queryset, cap)` (the live posts of a tag, say), kept like the month list:
    until the next post is saved or deleted, a post's tags change, or the next scheduled post
    goes live. A tag on a third of 100,000 posts costs 3–4 ms to count even up to the cap."""
    from core.paging import bounded_count

    def compute(now, known_until):
        # The month list, when kept, knows when the next scheduled post goes live already.
        return bounded_count(queryset, cap), known_until or _valid_until(now)

    return _kept(f"blog:live-count:{key}:{cap}", compute, now)


def _kept(key: str, compute, now=None):
    """The value kept under `key` while its generation is current and its time lasts, else
    `compute(now, known_until) -> (value, valid_until)`, kept. `known_until` is the month
    list's own bound when that is kept (the next scheduled post), else None. A cache that is
    down is skipped: the value is computed on every request."""
    now = now or timezone.now()
    try:
        found = cache.get_many([GENERATION_KEY, key, ENTRY_KEY])
    except Exception:  # noqa: BLE001 (a cache that is down degrades the page, never breaks it)
        logger.warning("cache unavailable: %s is computed", key, exc_info=True)
        return compute(now, None)[0]
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if _current(entry, generation, now):
        return entry["value"]
    months = found.get(ENTRY_KEY)
    value, valid_until = compute(
        now, months["valid_until"] if _current(months, generation, now) else None)
    try:
        if generation is None:
            generation = _new_generation()
        cache.set(key, {"generation": generation, "value": value, "computed_at": now,
                        "valid_until": valid_until},
                  timeout=max(1, int((valid_until - now).total_seconds())))
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable: %s is not kept", key, exc_info=True)
    return value


def _from_database(now) -> tuple[LiveMonths, datetime]:
    rows = (
        Post.objects.live(now)
        .annotate(month=TruncMonth("publish_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    months = LiveMonths(Month(row["month"], row["count"]) for row in rows)
    return months, _valid_until(now)


def _valid_until(now) -> datetime:
    """How long what is counted now stays true: until the next scheduled post goes live, or
    MAX_AGE."""
    next_live = (
        Post.objects.scheduled(now).order_by("publish_at")
        .values_list("publish_at", flat=True).first()
    )
    return min(now + MAX_AGE, next_live) if next_live else now + MAX_AGE


def _current(entry, generation, now) -> bool:
    """A kept entry is served while its generation is the current one and its time lasts."""
    return (entry is not None and generation is not None and entry["generation"] == generation
            and entry["computed_at"] <= now < entry["valid_until"])


def _new_generation() -> str:
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, timeout=None)
    return generation


def forget_live_months():
    """Make every cached month list unreachable, now and again when the transaction commits.

    Now: this request (or test) sees its own change. At the commit: a list another request
    computed meanwhile, from the database as it was before the commit, is dropped too.
    """

    def forget():
        try:
            _new_generation()
        except Exception:  # noqa: BLE001
            logger.warning("cache unavailable: the month list could not be renewed",
                           exc_info=True)

    forget()
    transaction.on_commit(forget)


@receiver(post_save, sender=Post, dispatch_uid="blog.archive.saved")
@receiver(post_delete, sender=Post, dispatch_uid="blog.archive.deleted")
def _post_changed(sender, **kwargs):
    forget_live_months()
