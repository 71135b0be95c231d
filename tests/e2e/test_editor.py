"""The editor's day in the browser: log in at /beheer/, work the review queue, plan a series."""

from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Post, Status
from blog.scheduling import holiday_name
from tests.e2e.a11y import assert_accessible
from tests.factories import (
    PASSWORD,
    EditorFactory,
    GuestFactory,
    SeriesFactory,
    SubmittedPostFactory,
)


def next_monday(after):
    """The first Monday after `after` whose week, and the Friday before it, have no public
    holiday (holidays are no slot: the plan would move past them)."""
    monday = after + timedelta(days=7 - after.weekday())
    while any(holiday_name(monday + timedelta(days=d)) for d in range(-3, 5)):
        monday += timedelta(days=7)
    return monday


@pytest.mark.django_db(transaction=True)
def test_editor_reviews_and_plans_a_december_series(page, screenshot):
    editor = EditorFactory(username="anneke", email="anneke@example.org")
    now = timezone.now()
    to_fix = SubmittedPostFactory(title="Vrijwilligers zijn goud", author=GuestFactory(),
                                  submitted_at=now - timedelta(days=4))
    to_approve = SubmittedPostFactory(title="Menselijke maat", author=GuestFactory(),
                                      submitted_at=now - timedelta(days=3))
    series = SeriesFactory(title="Gastbloggers blikken terug")
    for i in range(5):
        SubmittedPostFactory(title=f"Terugblik {i + 1}", author=GuestFactory(), series=series,
                             series_position=i + 1, submitted_at=now - timedelta(days=2))
    start = next_monday(timezone.localdate() + timedelta(days=14))
    approve_at = start - timedelta(days=3)  # a Friday before the series

    page.goto("/beheer/")
    page.get_by_label("Gebruikersnaam").fill(editor.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()

    # The review queue, oldest first.
    queue = page.locator("section", has=page.locator("#review-queue"))
    queue.get_by_role("link", name="Vrijwilligers zijn goud").wait_for()
    assert queue.get_by_role("link").first.inner_text() == "Vrijwilligers zijn goud"
    assert_accessible(page)
    screenshot(page, "dashboard")

    # Request changes on one post.
    queue.get_by_role("link", name="Vrijwilligers zijn goud").click()
    form = page.locator("form.desk-transition-request_changes")
    form.get_by_label("Toelichting voor de auteur").fill("Graag een voorbeeld uit de praktijk.")
    form.get_by_role("button", name="Aanpassingen vragen").click()
    page.get_by_text("krijgt je verzoek om aanpassingen").wait_for()
    screenshot(page, "changes-requested")

    # Approve another with a date.
    page.goto("/beheer/")
    page.locator("#content-main").get_by_role("link", name="Menselijke maat").click()
    form = page.locator("form.desk-transition-approve")
    form.get_by_label("Publicatiemoment").fill(f"{approve_at:%Y-%m-%d}T07:00")
    form.get_by_role("button", name="Goedkeuren en inplannen").click()
    page.get_by_text("is goedgekeurd en ingepland voor").wait_for()

    # Plan the series of five.
    page.get_by_role("navigation", name="Redactiemenu").get_by_role("link", name="Reeksen").click()
    page.get_by_role("link", name="Gastbloggers blikken terug").click()
    page.get_by_role("link", name="Reeks inplannen").click()
    page.get_by_label("Eerste dag").fill(f"{start:%Y-%m-%d}")
    page.get_by_role("button", name="Voorstel bekijken").click()
    rows = page.locator("table.desk-plan tbody tr")
    rows.first.wait_for()
    assert rows.count() == 5
    assert_accessible(page)
    screenshot(page, "planner-preview")
    page.get_by_role("button", name="Bevestigen en inplannen").click()
    page.get_by_text("De reeks is ingepland").wait_for()
    screenshot(page, "series-planned")

    page.get_by_role("navigation", name="Redactiemenu").get_by_role("link", name="Kalender").click()
    page.locator("table.desk-month").wait_for()
    page.goto(f"/beheer/kalender/?maand={start:%Y-%m}")
    assert page.locator("table.desk-month a.desk-series").count() == 5
    screenshot(page, "calendar")
    page.problems.assert_clean()

    to_fix.refresh_from_db()
    to_approve.refresh_from_db()
    assert to_fix.status == Status.CHANGES_REQUESTED
    assert to_fix.events.get().note == "Graag een voorbeeld uit de praktijk."
    assert to_approve.status == Status.APPROVED
    assert timezone.localtime(to_approve.publish_at).strftime("%Y-%m-%d %H:%M") == \
        f"{approve_at:%Y-%m-%d} 07:00"
    planned = Post.objects.filter(series=series).order_by("series_position")
    days = [timezone.localtime(p.publish_at) for p in planned]
    assert [p.status for p in planned] == [Status.APPROVED] * 5
    assert [d.date() for d in days] == [start + timedelta(days=i) for i in range(5)]
    assert {d.strftime("%H:%M") for d in days} == {"07:00"}
