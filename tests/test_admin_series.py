"""Series admin, the series planner page and the calendar page."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from blog.models import Post, Status
from tests.factories import (
    GuestFactory,
    LivePostFactory,
    PostFactory,
    ScheduledPostFactory,
    SeriesFactory,
    SubmittedPostFactory,
)

AMS = ZoneInfo("Europe/Amsterdam")
NOV_2010 = datetime(2010, 11, 22, 10, 0, tzinfo=AMS)


def december_series(n=5):
    series = SeriesFactory(title="11 gastbloggers blikken terug op 2010")
    posts = [SubmittedPostFactory(author=GuestFactory(), series=series, series_position=i + 1,
                                  title=f"Gastblog {i + 1}") for i in range(n)]
    return series, posts


def plan_url(series):
    return reverse("admin:blog_series_plan", args=[series.pk])


PLAN = {"start": "2010-12-06", "weekdays": ["0", "1", "2", "3", "4"], "at": "07:00", "skip": ""}


@pytest.mark.django_db
def test_series_page_lists_posts_in_order_with_status_and_date(editor_client):
    series, posts = december_series(3)
    Post.objects.filter(pk=posts[0].pk).update(series_position=3)
    Post.objects.filter(pk=posts[2].pk).update(series_position=1)
    ScheduledPostFactory(series=series, series_position=4, title="Al ingepland",
                         publish_at=datetime(2031, 12, 9, 7, 0, tzinfo=AMS))
    html = editor_client.get(reverse("admin:blog_series_change", args=[series.pk])).content.decode()
    order = re.findall(r'<a href="/beheer/blog/post/\d+/change/">([^<]+)</a>', html)
    assert order == ["Gastblog 3", "Gastblog 2", "Gastblog 1", "Al ingepland"]
    assert "Ingediend" in html and "Ingepland voor 9 december 2031 07:00" in html
    assert reverse("admin:blog_series_plan", args=[series.pk]) in html


@pytest.mark.django_db
def test_positions_are_saved_through_optimistic_locking(editor_client, editor):
    series, posts = december_series(2)
    url = reverse("admin:blog_series_change", args=[series.pk])
    data = {
        "title": series.title, "slug": series.slug, "intro": series.intro, "trend_list": "",
        "posts-TOTAL_FORMS": "2", "posts-INITIAL_FORMS": "2", "posts-MIN_NUM_FORMS": "0",
        "posts-MAX_NUM_FORMS": "1000",
    }
    for i, (post, position) in enumerate(zip(posts, (2, 1), strict=True)):
        data.update({f"posts-{i}-id": post.pk, f"posts-{i}-series": series.pk,
                     f"posts-{i}-series_position": position,
                     f"posts-{i}-loaded_version": post.version})
    response = editor_client.post(url, data)
    assert response.status_code == 302
    stored = {p.title: (p.series_position, p.version) for p in Post.objects.all()}
    assert stored == {"Gastblog 1": (2, 2), "Gastblog 2": (1, 2)}
    # The same (now stale) form again: refused, nothing changes.
    data["posts-0-series_position"] = 5
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Iemand anders heeft dit bericht opgeslagen" in response.content.decode()
    assert Post.objects.get(pk=posts[0].pk).series_position == 2


@pytest.mark.django_db
def test_planner_preview_then_confirm_schedules_the_series(editor_client, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    series, posts = december_series(5)
    with time_machine.travel(NOV_2010, tick=False):
        preview = editor_client.post(plan_url(series), {**PLAN, "skip": "08-12-2010",
                                                        "preview": "1"})
        html = preview.content.decode()
        assert preview.status_code == 200
        assert "maandag 6 december 2010 07:00" in html
        assert "woensdag 8 december" not in html
        assert "maandag 13 december 2010 07:00" in html
        assert "Nog niet goedgekeurd" in html
        assert not Post.objects.filter(status=Status.APPROVED).exists()  # preview only
        fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html)[1]
        with django_capture_on_commit_callbacks(execute=True):
            done = editor_client.post(plan_url(series), {**PLAN, "skip": "08-12-2010",
                                                         "confirm": "1",
                                                         "fingerprint": fingerprint})
    assert done.status_code == 302
    days = [timezone.localtime(p.publish_at) for p in
            Post.objects.filter(series=series).order_by("series_position")]
    assert [d.day for d in days] == [6, 7, 9, 10, 13]
    assert {(d.hour, d.minute) for d in days} == {(7, 0)}
    assert set(Post.objects.values_list("status", flat=True)) == {Status.APPROVED}
    assert len(mailoutbox) == 5


@pytest.mark.django_db
def test_planner_shows_conflicts_and_refuses_to_confirm(editor_client):
    series, _posts = december_series(3)
    ScheduledPostFactory(title="Workshop marketing", publish_at=datetime(2010, 12, 7, 9, 0, tzinfo=AMS))
    PostFactory(series=series, series_position=4, title="Nog niet af")
    with time_machine.travel(datetime(2010, 12, 6, 8, 0, tzinfo=AMS), tick=False):
        html = editor_client.post(plan_url(series), {**PLAN, "preview": "1"}).content.decode()
        assert "Dit moment ligt in het verleden." in html
        assert "Op deze dag staat al “Workshop marketing”" in html
        assert "Nog niet af" in html and "nog niet ingediend" in html
        assert 'name="confirm"' not in html
        refused = editor_client.post(plan_url(series), {**PLAN, "confirm": "1",
                                                        "fingerprint": "x"})
    assert "Los eerst de conflicten in het plan op." in refused.content.decode()
    assert not Post.objects.filter(series=series, status=Status.APPROVED).exists()


@pytest.mark.django_db
def test_skip_taken_days_moves_the_series_past_them(editor_client):
    series, _posts = december_series(3)
    ScheduledPostFactory(publish_at=datetime(2010, 12, 7, 7, 0, tzinfo=AMS))
    ScheduledPostFactory(publish_at=datetime(2010, 12, 8, 7, 0, tzinfo=AMS))
    with time_machine.travel(NOV_2010, tick=False):
        response = editor_client.post(plan_url(series), {**PLAN, "skip_taken": "1"})
    html = response.content.decode()
    assert "07-12-2010\n08-12-2010</textarea>" in html
    plan = response.context["plan"]
    assert [timezone.localtime(r.slot).day for r in plan.rows] == [6, 9, 10]
    assert not plan.blocking


@pytest.mark.django_db
def test_planner_keeps_bad_input_and_says_why(editor_client):
    series, _posts = december_series(2)
    response = editor_client.post(plan_url(series), {**PLAN, "skip": "8 december, 31-02-2010",
                                                     "weekdays": [], "preview": "1"})
    html = response.content.decode()
    assert "Deze datums begrijp ik niet: 8 december, 31-02-2010." in html
    assert "Kies minstens één weekdag." in html
    assert "8 december, 31-02-2010</textarea>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 60])
def test_planner_query_budget(n, editor_client, django_assert_max_num_queries):
    series, _posts = december_series(n)
    for i in range(n):
        ScheduledPostFactory(publish_at=datetime(2011, 1, 3, 7, 0, tzinfo=AMS) + timedelta(days=i))
    with time_machine.travel(NOV_2010, tick=False), django_assert_max_num_queries(8):
        response = editor_client.post(plan_url(series), {**PLAN, "preview": "1"})
    assert len(response.context["plan"].rows) == n


@pytest.mark.django_db
def test_calendar_shows_posts_series_and_gaps(editor_client):
    series = SeriesFactory(title="Decemberreeks")
    LivePostFactory(title="Social media is booming", series=series, series_position=1,
                    publish_at=datetime(2010, 12, 6, 7, 0, tzinfo=AMS))
    ScheduledPostFactory(title="Eigen bericht", publish_at=datetime(2010, 12, 7, 7, 0, tzinfo=AMS))
    with time_machine.travel(datetime(2010, 12, 1, 12, 0, tzinfo=AMS), tick=False):
        response = editor_client.get(reverse("admin:calendar") + "?maand=2010-12")
    html = response.content.decode()
    assert "Social media is booming" in html and "Eigen bericht" in html
    assert "desk-series-1" in html and "Decemberreeks" in html
    month = response.context["month"]
    gaps = {d.day for d in month.gaps}
    weekdays_in_december = {date(2010, 12, d) for d in range(1, 32)
                            if date(2010, 12, d).weekday() < 5}
    # Today (1 December, 12:00) is no gap any more: its 07:00 slot has passed.
    assert gaps == weekdays_in_december - {date(2010, 12, 1), date(2010, 12, 6),
                                           date(2010, 12, 7)}
    assert "20 vrije plekken deze maand vanaf vandaag." in html
    assert html.count('class="desk-gap-label"') == 20


@pytest.mark.django_db
def test_calendar_offers_no_past_slots_and_no_holidays(editor_client):
    # Christmas 2025 is on Thursday and Friday; "today" is Tuesday 16 December, 06:30.
    with time_machine.travel(datetime(2025, 12, 16, 6, 30, tzinfo=AMS), tick=False):
        response = editor_client.get(reverse("admin:calendar") + "?maand=2025-12")
    month = response.context["month"]
    gaps = {d.day for d in month.gaps}
    assert date(2025, 12, 15) not in gaps  # yesterday
    assert date(2025, 12, 16) in gaps  # today, 07:00 still to come
    assert date(2025, 12, 25) not in gaps and date(2025, 12, 26) not in gaps
    assert {d.day: d.holiday for d in month.holidays} == {
        date(2025, 12, 25): "Eerste kerstdag", date(2025, 12, 26): "Tweede kerstdag"}
    assert gaps == {date(2025, 12, d) for d in (16, 17, 18, 19, 22, 23, 24, 29, 30, 31)}
    html = response.content.decode()
    assert "Eerste kerstdag" in html and "Tweede kerstdag" in html
    assert "10 vrije plekken deze maand vanaf vandaag." in html


@pytest.mark.django_db
def test_calendar_survives_a_bad_month(editor_client):
    response = editor_client.get(reverse("admin:calendar") + "?maand=2010-13")
    assert response.status_code == 200
    assert "Die maand begrijp ik niet" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 200])
def test_calendar_and_series_page_query_budget(n, editor_client, django_assert_max_num_queries):
    series = SeriesFactory()
    start = datetime(2010, 12, 1, 7, 0, tzinfo=AMS)
    for i in range(n):
        ScheduledPostFactory(series=series if i % 2 else None, series_position=i,
                             publish_at=start + timedelta(hours=i * 3), author=GuestFactory())
    with django_assert_max_num_queries(5):
        editor_client.get(reverse("admin:calendar") + "?maand=2010-12")
    with django_assert_max_num_queries(10):
        editor_client.get(reverse("admin:blog_series_change", args=[series.pk]))


@pytest.mark.django_db
def test_planner_passes_over_christmas_unless_the_editor_ticks_the_box(editor_client):
    series, posts = december_series(3)
    plan = {**PLAN, "start": "2026-12-24", "preview": "1"}
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=AMS), tick=False):
        response = editor_client.post(plan_url(series), plan)
        days = [timezone.localtime(r.slot).date() for r in response.context["plan"].rows]
        assert days == [date(2026, 12, 24), date(2026, 12, 28), date(2026, 12, 29)]
        assert "Overgeslagen feestdagen:" in response.content.decode()
        assert "Eerste kerstdag" in response.content.decode()

        response = editor_client.post(plan_url(series), {**plan, "include_holidays": "on"})
        days = [timezone.localtime(r.slot).date() for r in response.context["plan"].rows]
        assert days == [date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 28)]
        assert "Overgeslagen feestdagen:" not in response.content.decode()


@pytest.mark.django_db
def test_series_rows_and_the_post_page_view_the_preview_until_the_post_is_live(editor_client):
    series, posts = december_series(1)
    live = LivePostFactory(series=series, series_position=2, title="Al online")
    html = editor_client.get(reverse("admin:blog_series_change", args=[series.pk])).content.decode()
    submitted_link = re.search(r'href="(/voorbeeld/[^"]+/)"', html)
    assert submitted_link, "the submitted part's row has no preview link"
    assert live.get_absolute_url() in html
    response = editor_client.get(submitted_link.group(1))
    assert response.status_code == 200 and "Gastblog 1" in response.content.decode()

    page = editor_client.get(reverse("admin:blog_post_change", args=[posts[0].pk]))
    view_link = re.search(r'href="([^"]+)" class="viewsitelink"', page.content.decode()).group(1)
    assert view_link.startswith("/voorbeeld/")
    assert editor_client.get(view_link).status_code == 200
    page = editor_client.get(reverse("admin:blog_post_change", args=[live.pk]))
    assert f'href="{live.get_absolute_url()}" class="viewsitelink"' in page.content.decode()
