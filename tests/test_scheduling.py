from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from blog.scheduling import local_slot, next_free_slot, slot_days
from tests.factories import LivePostFactory, ScheduledPostFactory

AMS = ZoneInfo("Europe/Amsterdam")


def test_slot_days_weekdays_with_skips():
    days = slot_days(date(2010, 12, 6), weekdays=[0, 1, 2, 3, 4], skip=[date(2010, 12, 8)])
    got = [next(days) for _ in range(5)]
    assert got == [date(2010, 12, d) for d in (6, 7, 9, 10, 13)]


@pytest.mark.parametrize("day", [date(2027, 3, 26), date(2027, 3, 29),
                                 date(2027, 10, 29), date(2027, 11, 1)])
def test_slots_stay_at_seven_local_across_dst(day):
    slot = local_slot(day)
    assert timezone.localtime(slot).hour == 7
    assert slot.utcoffset().total_seconds() in (3600, 7200)


@pytest.mark.django_db
def test_next_free_slot_skips_taken_days_and_weekends():
    now = datetime(2027, 3, 25, 8, 0, tzinfo=AMS)  # Thursday after 07:00
    ScheduledPostFactory(publish_at=datetime(2027, 3, 26, 7, 0, tzinfo=AMS))  # Friday taken
    slot = next_free_slot(after=now)
    assert slot == datetime(2027, 3, 29, 7, 0, tzinfo=AMS)  # Monday, after the DST change
    assert slot.utcoffset().total_seconds() == 7200


@pytest.mark.django_db
def test_live_posts_take_their_day_too():
    now = datetime(2027, 3, 24, 6, 0, tzinfo=AMS)
    LivePostFactory(publish_at=datetime(2027, 3, 24, 5, 0, tzinfo=AMS))
    assert next_free_slot(after=now) == datetime(2027, 3, 25, 7, 0, tzinfo=AMS)
