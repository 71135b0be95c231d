"""The editor's publication calendar: a month grid of scheduled and published posts.

Days are local (Europe/Amsterdam) dates; a weekday slot without a post is a gap ("vrij"),
unless its moment has passed or it is a Dutch public holiday (named in the grid instead).
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.conf import settings
from django.utils import timezone

from blog.models import Post
from blog.scheduling import holidays_between, local_slot, slot_time

SERIES_COLOURS = 6


@dataclass
class Day:
    day: date
    in_month: bool
    is_slot: bool
    is_today: bool
    is_past: bool  # the day, or at least its slot, lies in the past
    posts: list[Post] = field(default_factory=list)
    holiday: str = ""

    @property
    def is_gap(self) -> bool:
        """A slot to fill: in this month, a slot weekday, still to come, no holiday, no post."""
        return (self.in_month and self.is_slot and not self.is_past and not self.holiday
                and not self.posts)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    series: list  # (series, colour number), in order of first appearance

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def gaps(self) -> list[Day]:
        return [d for week in self.weeks for d in week if d.is_gap]

    @property
    def future_gaps(self) -> list[Day]:
        return self.gaps

    @property
    def holidays(self) -> list[Day]:
        return [d for week in self.weeks for d in week if d.in_month and d.holiday]


def month_grid(year: int, month: int, *, today: date | None = None, now=None) -> Month:
    """Weeks from Monday to Sunday covering the month; one query."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    posts = (
        Post.objects.announced()
        .filter(publish_at__gte=local_slot(start, time(0)),
                publish_at__lt=local_slot(end + timedelta(days=1), time(0)))
        .select_related("author__profile", "series")
        .order_by("publish_at", "pk")
    )
    by_day: dict[date, list[Post]] = {}
    series_colour: dict[int, int] = {}
    series = []
    for post in posts:
        by_day.setdefault(timezone.localtime(post.publish_at).date(), []).append(post)
        if post.series_id and post.series_id not in series_colour:
            series_colour[post.series_id] = len(series_colour) % SERIES_COLOURS + 1
            series.append((post.series, series_colour[post.series_id]))
        post.series_colour = series_colour.get(post.series_id)
    weekdays = set(settings.PUBLISH_SLOT_WEEKDAYS)
    holidays = holidays_between(start, end)
    # Today's slot is past once its moment has gone by.
    today_passed = local_slot(today, slot_time()) <= now
    weeks, day = [], start
    while day <= end:
        week = []
        for _ in range(7):
            week.append(Day(day=day, in_month=day.month == month, is_slot=day.weekday() in weekdays,
                            is_today=day == today,
                            is_past=day < today or (day == today and today_passed),
                            posts=by_day.get(day, []), holiday=holidays.get(day, "")))
            day += timedelta(days=1)
        weeks.append(week)
    return Month(first=first, weeks=weeks, series=series)
