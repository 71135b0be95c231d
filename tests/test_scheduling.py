from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from blog.scheduling import holiday_name, local_slot, next_free_slot, slot_days
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
    # 2028: summer time starts on Sunday 26 March, a weekend without public holidays.
    now = datetime(2028, 3, 23, 8, 0, tzinfo=AMS)  # Thursday after 07:00
    ScheduledPostFactory(publish_at=datetime(2028, 3, 24, 7, 0, tzinfo=AMS))  # Friday taken
    slot = next_free_slot(after=now)
    assert slot == datetime(2028, 3, 27, 7, 0, tzinfo=AMS)  # Monday, after the DST change
    assert slot.utcoffset().total_seconds() == 7200


@pytest.mark.django_db
def test_next_free_slot_skips_public_holidays():
    # 2027: Easter Monday (Tweede paasdag) is 29 March.
    now = datetime(2027, 3, 25, 8, 0, tzinfo=AMS)  # Thursday after 07:00
    ScheduledPostFactory(publish_at=datetime(2027, 3, 26, 7, 0, tzinfo=AMS))  # Friday taken
    assert next_free_slot(after=now) == datetime(2027, 3, 30, 7, 0, tzinfo=AMS)
    # Christmas Day and Boxing Day 2025 fall on Thursday and Friday; King's Day 2026 on Monday.
    assert next_free_slot(after=datetime(2025, 12, 24, 8, 0, tzinfo=AMS)) == \
        datetime(2025, 12, 29, 7, 0, tzinfo=AMS)
    assert next_free_slot(after=datetime(2026, 4, 24, 8, 0, tzinfo=AMS)) == \
        datetime(2026, 4, 28, 7, 0, tzinfo=AMS)


def test_holidays_are_named_in_dutch_and_skipped_only_when_asked():
    assert holiday_name(date(2026, 12, 25)) == "Eerste kerstdag"
    assert holiday_name(date(2026, 12, 26)) == "Tweede kerstdag"
    assert holiday_name(date(2026, 4, 27)) == "Koningsdag"
    assert holiday_name(date(2026, 4, 28)) == ""
    december = date(2026, 12, 23)
    with_holidays = slot_days(december, weekdays=range(7), skip_holidays=False)
    without = slot_days(december, weekdays=range(7))
    assert [next(with_holidays) for _ in range(4)] == [date(2026, 12, d) for d in (23, 24, 25, 26)]
    assert [next(without) for _ in range(4)] == [date(2026, 12, d) for d in (23, 24, 27, 28)]


@pytest.mark.django_db
def test_live_posts_take_their_day_too():
    now = datetime(2027, 3, 24, 6, 0, tzinfo=AMS)
    LivePostFactory(publish_at=datetime(2027, 3, 24, 5, 0, tzinfo=AMS))
    assert next_free_slot(after=now) == datetime(2027, 3, 25, 7, 0, tzinfo=AMS)
