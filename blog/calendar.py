"""The editor's publication calendar: a month grid of scheduled and published posts.

Days are local (Europe/Amsterdam) dates; a weekday slot without a post is a gap.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.conf import settings
from django.utils import timezone

from blog.models import Post
from blog.scheduling import local_slot

SERIES_COLOURS = 6


@dataclass
class Day:
    day: date
    in_month: bool
    is_slot: bool
    is_today: bool
    is_past: bool
    posts: list[Post] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return self.in_month and self.is_slot and not self.posts


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
        return [d for d in self.gaps if not d.is_past]


def month_grid(year: int, month: int, *, today: date | None = None) -> Month:
    """Weeks from Monday to Sunday covering the month; one query."""
    today = today or timezone.localdate()
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
    weeks, day = [], start
    while day <= end:
        week = []
        for _ in range(7):
            week.append(Day(day=day, in_month=day.month == month, is_slot=day.weekday() in weekdays,
                            is_today=day == today, is_past=day < today,
                            posts=by_day.get(day, [])))
            day += timedelta(days=1)
        weeks.append(week)
    return Month(first=first, weeks=weeks, series=series)
