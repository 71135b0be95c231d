"""Publication slots: weekdays at a fixed local time (default Monday–Friday, 07:00).

All arithmetic happens on local dates in Europe/Amsterdam and only then becomes an aware
datetime, so a slot stays at 07:00 local time across the DST changes.

Dutch public holidays (the `holidays` library: New Year's Day, Easter, King's Day, Ascension,
Whitsun, Christmas, …) are no slot unless the editor says so (`skip_holidays=False`); a slot
that has passed is never offered.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
from django.conf import settings
from django.utils import timezone

from blog.models import Post


def slot_time() -> time:
    hours, _, minutes = settings.PUBLISH_SLOT_TIME.partition(":")
    return time(int(hours), int(minutes or 0))


def local_slot(day: date, at: time | None = None) -> datetime:
    """The aware datetime of `day` at the slot time in the site's time zone."""
    return datetime.combine(day, at or slot_time(), tzinfo=timezone.get_current_timezone())


@cache
def _holidays_of(year: int) -> dict[date, str]:
    return dict(holidays.Netherlands(years=year, language="nl").items())


def holiday_name(day: date) -> str:
    """The Dutch name of the public holiday on `day` ("Eerste kerstdag"), or ""."""
    return _holidays_of(day.year).get(day, "")


def holidays_between(first: date, last: date) -> dict[date, str]:
    """The public holidays from `first` to `last` (both included), by date."""
    return {
        day: name
        for year in range(first.year, last.year + 1)
        for day, name in sorted(_holidays_of(year).items())
        if first <= day <= last
    }


def slot_days(
    start: date, *, weekdays: Iterable[int], skip: Iterable[date] = (), skip_holidays: bool = True
) -> Iterator[date]:
    """Every day from `start` on whose weekday is in `weekdays` (0 = Monday), minus `skip`
    and, unless `skip_holidays` is False, minus the Dutch public holidays."""
    allowed, skipped = set(weekdays), set(skip)
    if not allowed:
        return
    day = start
    while True:
        if day.weekday() in allowed and day not in skipped and not (
            skip_holidays and holiday_name(day)
        ):
            yield day
        day += timedelta(days=1)


def taken_days(*, since: datetime, exclude_pk=None) -> set[date]:
    """Local dates that already have an approved post (live or scheduled) from `since` on."""
    posts = Post.objects.announced().filter(publish_at__gte=since)
    if exclude_pk is not None:
        posts = posts.exclude(pk=exclude_pk)
    return {timezone.localtime(at).date() for at in posts.values_list("publish_at", flat=True)}


def next_free_slot(*, after: datetime | None = None, exclude_pk=None) -> datetime:
    """The first slot after `after` (default: now) on a day with no approved post yet and
    no public holiday."""
    after = after or timezone.now()
    local_after = timezone.localtime(after)
    start_of_day = local_slot(local_after.date(), time(0, 0))
    taken = taken_days(since=start_of_day, exclude_pk=exclude_pk)
    for day in slot_days(local_after.date(), weekdays=settings.PUBLISH_SLOT_WEEKDAYS):
        candidate = local_slot(day)
        if candidate > after and day not in taken:
            return candidate
    raise AssertionError("unreachable: slot_days is infinite")  # pragma: no cover
