"""The series planner: slots on weekdays with skips, conflicts, all or nothing, DST-safe."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from blog import planner, workflow
from blog.models import Post, PostEvent, Status
from tests.factories import (
    LivePostFactory,
    PostFactory,
    ScheduledPostFactory,
    SeriesFactory,
    SubmittedPostFactory,
)

AMS = ZoneInfo("Europe/Amsterdam")
MON_FRI = (0, 1, 2, 3, 4)
SEVEN = time(7, 0)
NOV_2010 = datetime(2010, 11, 20, 12, 0, tzinfo=AMS)


def series_of(n, *, status=Status.SUBMITTED, series=None):
    series = series or SeriesFactory(title="Gastbloggers blikken terug")
    factory = SubmittedPostFactory if status == Status.SUBMITTED else PostFactory
    posts = [factory(series=series, series_position=i + 1, status=status,
                     title=f"Gastblog {i + 1}") for i in range(n)]
    return series, posts


def local_days(plan):
    return [timezone.localtime(row.slot).date() for row in plan.rows]


@pytest.mark.django_db
def test_slots_fall_on_weekdays_in_series_order_minus_skips():
    series, posts = series_of(5)
    # Shuffle creation order against position: the plan follows the position numbers.
    Post.objects.filter(pk=posts[0].pk).update(series_position=9)
    plan = planner.make_plan(series=series, start=date(2010, 12, 6), weekdays=MON_FRI,
                             at=SEVEN, skip=[date(2010, 12, 8)], now=NOV_2010)
    assert [row.post.title for row in plan.rows] == [
        "Gastblog 2", "Gastblog 3", "Gastblog 4", "Gastblog 5", "Gastblog 1"]
    assert local_days(plan) == [date(2010, 12, d) for d in (6, 7, 9, 10, 13)]
    assert all(timezone.localtime(row.slot).time() == SEVEN for row in plan.rows)
    assert not plan.blocking
    assert all(row.action == "approve" for row in plan.rows)
    assert all("Nog niet goedgekeurd" in row.notes[0] for row in plan.rows)


@pytest.mark.django_db
def test_chosen_weekdays_only():
    series, _posts = series_of(3)
    plan = planner.make_plan(series=series, start=date(2010, 12, 6), weekdays=(0, 3),
                             at=SEVEN, now=NOV_2010)
    assert local_days(plan) == [date(2010, 12, 6), date(2010, 12, 9), date(2010, 12, 13)]


@pytest.mark.django_db
def test_conflicts_taken_day_and_past_slot_block_the_plan():
    series, _posts = series_of(3)
    other = ScheduledPostFactory(title="Eigen bericht", publish_at=datetime(2010, 12, 7, 12, 0, tzinfo=AMS))
    plan = planner.make_plan(series=series, start=date(2010, 12, 6), weekdays=MON_FRI,
                             at=SEVEN, now=datetime(2010, 12, 6, 9, 0, tzinfo=AMS))
    problems = [row.problems for row in plan.rows]
    assert any("verleden" in p for p in problems[0])  # Monday 07:00 has passed at 09:00
    assert any("Eigen bericht" in p for p in problems[1])  # Tuesday is taken
    assert problems[2] == []
    assert plan.blocking
    assert plan.taken_days == [date(2010, 12, 7)]
    with pytest.raises(planner.PlanError):
        planner.apply_plan(plan=plan, actor=None)
    assert other.pk not in [row.post.pk for row in plan.rows]


@pytest.mark.django_db
def test_posts_not_submitted_are_named_and_left_out():
    series, posts = series_of(2)
    draft = PostFactory(series=series, series_position=3, title="Nog een concept")
    live = LivePostFactory(series=series, series_position=0, title="Al online",
                           publish_at=datetime(2010, 11, 1, 7, 0, tzinfo=AMS))
    plan = planner.make_plan(series=series, start=date(2010, 12, 6), weekdays=MON_FRI,
                             at=SEVEN, now=NOV_2010)
    assert [row.post for row in plan.rows] == posts
    left = {item.post: item.reason for item in plan.left_out}
    assert "nog niet ingediend" in left[draft]
    assert "al gepubliceerd" in left[live]
    assert not plan.blocking


@pytest.mark.django_db
def test_apply_approves_submitted_and_reschedules_approved(editor, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    series, posts = series_of(3)
    approved = ScheduledPostFactory(series=series, series_position=4, title="Al goedgekeurd",
                                    publish_at=timezone.now() + timedelta(days=400))
    start = timezone.localdate() + timedelta(days=7)
    plan = planner.make_plan(series=series, start=start, weekdays=MON_FRI, at=SEVEN)
    assert [row.action for row in plan.rows] == ["approve", "approve", "approve", "reschedule"]
    with django_capture_on_commit_callbacks(execute=True):
        planner.apply_plan(plan=plan, actor=editor, expected_fingerprint=plan.fingerprint())
    for row in plan.rows:
        row.post.refresh_from_db()
        assert row.post.status == Status.APPROVED
        assert row.post.publish_at == row.slot
    assert approved.events.get().action == "reschedule"
    assert {e.action for e in PostEvent.objects.filter(post__in=posts)} == {"approve"}
    assert len(mailoutbox) == 4  # each author hears the date of their post


@pytest.mark.django_db
def test_a_plan_confirmed_twice_changes_nothing_the_second_time(editor):
    series, _posts = series_of(2)
    start = timezone.localdate() + timedelta(days=7)
    planner.apply_plan(plan=planner.make_plan(series=series, start=start, weekdays=MON_FRI,
                                              at=SEVEN), actor=editor)
    again = planner.make_plan(series=series, start=start, weekdays=MON_FRI, at=SEVEN)
    assert [row.action for row in again.rows] == ["keep", "keep"]
    assert planner.apply_plan(plan=again, actor=editor) == []
    assert PostEvent.objects.count() == 2


@pytest.mark.django_db
def test_all_or_nothing_when_one_step_fails(editor, monkeypatch, mailoutbox,
                                           django_capture_on_commit_callbacks):
    series, posts = series_of(4)
    plan = planner.make_plan(series=series, start=timezone.localdate() + timedelta(days=3),
                             weekdays=MON_FRI, at=SEVEN)
    real_approve, calls = workflow.approve, []

    def approve_then_fail(**kwargs):
        calls.append(kwargs["post"].pk)
        if len(calls) == 3:
            raise workflow.WorkflowError("Kan niet.")
        return real_approve(**kwargs)

    monkeypatch.setattr(workflow, "approve", approve_then_fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.WorkflowError):
        planner.apply_plan(plan=plan, actor=editor)
    assert len(calls) == 3
    assert set(Post.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
    assert not Post.objects.filter(publish_at__isnull=False).exists()
    assert not PostEvent.objects.exists()
    assert mailoutbox == []  # no "approved" mail for a plan that did not happen


@pytest.mark.django_db
def test_a_plan_that_changed_since_the_preview_is_refused(editor, guest):
    series, posts = series_of(2)
    plan = planner.make_plan(series=series, start=timezone.localdate() + timedelta(days=3),
                             weekdays=MON_FRI, at=SEVEN)
    seen = plan.fingerprint()
    Post.objects.filter(pk=posts[1].pk).update(version=5)  # the guest edited meanwhile
    fresh = planner.make_plan(series=series, start=timezone.localdate() + timedelta(days=3),
                              weekdays=MON_FRI, at=SEVEN)
    with pytest.raises(planner.PlanError, match="veranderd"):
        planner.apply_plan(plan=fresh, actor=editor, expected_fingerprint=seen)
    assert not Post.objects.filter(status=Status.APPROVED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("start,dst_day", [
    (date(2027, 3, 24), date(2027, 3, 28)),    # CET → CEST on Sunday 28 March
    (date(2027, 10, 27), date(2027, 10, 31)),  # CEST → CET on Sunday 31 October
])
def test_series_across_the_dst_change_keeps_seven_local(editor, start, dst_day):
    series, _posts = series_of(5)
    now = datetime(2027, 1, 1, tzinfo=AMS)
    plan = planner.make_plan(series=series, start=start, weekdays=MON_FRI, at=SEVEN, now=now)
    offsets = {timezone.localtime(row.slot).utcoffset() for row in plan.rows}
    assert len(offsets) == 2, "the series should straddle the change"
    assert all(timezone.localtime(row.slot).time() == SEVEN for row in plan.rows)
    before = [r for r in plan.rows if timezone.localtime(r.slot).date() < dst_day]
    after = [r for r in plan.rows if timezone.localtime(r.slot).date() > dst_day]
    assert before and after
    # 07:00 local is 06:00 UTC in winter and 05:00 UTC in summer.
    winter, summer = (before, after) if start.month == 3 else (after, before)
    assert {r.slot.astimezone(ZoneInfo("UTC")).hour for r in winter} == {6}
    assert {r.slot.astimezone(ZoneInfo("UTC")).hour for r in summer} == {5}
    with time_frozen(now):
        planner.apply_plan(plan=plan, actor=editor)
    stored = Post.objects.filter(series=series).order_by("series_position")
    assert [timezone.localtime(p.publish_at).time() for p in stored] == [SEVEN] * 5


def time_frozen(moment):
    import time_machine

    return time_machine.travel(moment, tick=False)


@pytest.mark.django_db
def test_a_time_that_does_not_exist_is_a_conflict():
    series, _posts = series_of(1)
    plan = planner.make_plan(series=series, start=date(2028, 3, 26), weekdays=(6,),
                             at=time(2, 30), now=datetime(2028, 1, 1, tzinfo=AMS))
    assert any("bestaat niet" in p for p in plan.rows[0].problems)


@pytest.mark.django_db
def test_free_slots_are_consecutive_and_skip_taken_days():
    ScheduledPostFactory(publish_at=datetime(2028, 3, 28, 7, 0, tzinfo=AMS))
    slots = planner.free_slots(3, after=datetime(2028, 3, 24, 8, 0, tzinfo=AMS))
    assert slots == [datetime(2028, 3, 27, 7, 0, tzinfo=AMS),
                     datetime(2028, 3, 29, 7, 0, tzinfo=AMS),
                     datetime(2028, 3, 30, 7, 0, tzinfo=AMS)]


@pytest.mark.django_db
def test_free_slots_skip_public_holidays():
    # Easter Monday 2027 (29 March) is no slot; the next three are Tuesday to Thursday.
    slots = planner.free_slots(3, after=datetime(2027, 3, 26, 8, 0, tzinfo=AMS))
    assert slots == [datetime(2027, 3, d, 7, 0, tzinfo=AMS) for d in (30, 31)] + [
        datetime(2027, 4, 1, 7, 0, tzinfo=AMS)]


@pytest.mark.django_db
def test_the_plan_passes_over_holidays_unless_the_editor_includes_them():
    series, posts = series_of(3)
    now = datetime(2026, 12, 1, tzinfo=AMS)
    plan = planner.make_plan(series=series, start=date(2026, 12, 24), weekdays=range(5),
                             at=SEVEN, now=now)
    days = [timezone.localtime(row.slot).date() for row in plan.rows]
    # Thursday 24th, then Christmas Day (Friday) is passed over: Monday 28th, Tuesday 29th.
    assert days == [date(2026, 12, 24), date(2026, 12, 28), date(2026, 12, 29)]
    assert plan.holidays_skipped == {date(2026, 12, 25): "Eerste kerstdag"}
    assert not plan.blocking

    plan = planner.make_plan(series=series, start=date(2026, 12, 24), weekdays=range(5),
                             at=SEVEN, include_holidays=True, now=now)
    assert [timezone.localtime(row.slot).date() for row in plan.rows] == [
        date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 28)]
    assert plan.holidays_skipped == {}
