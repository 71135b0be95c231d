"""The axe-core sweep: every page the editor uses in the admin, the public site and the
writing desk, with 0 critical and 0 serious violations (tests/e2e/a11y.py); and after a
failed submit the focus is on the error summary.

One world in every state the pages can show: posts draft to live, a series with parts and
its planner preview, held and approved comments, open and accepted invitations, subscribers
and a trend list with its trends.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Status
from tests.e2e.a11y import assert_accessible, assert_axe_clean
from tests.e2e.conftest import login
from tests.factories import (
    PASSWORD,
    CommentFactory,
    EditorFactory,
    GuestFactory,
    InvitationFactory,
    LivePostFactory,
    PageFactory,
    PostFactory,
    ScheduledPostFactory,
    SeriesFactory,
    SubmittedPostFactory,
    SubscriberFactory,
    TrendFactory,
    TrendListFactory,
)


@pytest.fixture
def world(db):
    editor = EditorFactory(username="redactie", first_name="Anneke", last_name="Krakers")
    guest = GuestFactory(username="hans", email="hans@example.org")
    trend_list = TrendListFactory(year=2010)
    trends = [TrendFactory(trend_list=trend_list, number=n, title=f"Trend {n}") for n in (1, 2, 3)]
    TrendFactory(trend_list=TrendListFactory(year=2026), number=1, title="Nieuwe trend")
    series = SeriesFactory(title="Gastbloggers blikken terug", trend_list=trend_list)
    now = timezone.now()
    live = LivePostFactory(title="Social media is booming", author=guest, series=series,
                           series_position=1, trend=trends[0], tags=["sociale media"])
    ScheduledPostFactory(title="Menselijke maat", series=series, series_position=2,
                         publish_at=now + timedelta(days=5))
    submitted = SubmittedPostFactory(title="Vrijwilligers zijn goud", author=guest,
                                     series=series, series_position=3)
    PostFactory(title="Een concept", author=guest)
    PostFactory(title="Aanpassen graag", author=guest, status=Status.CHANGES_REQUESTED)
    CommentFactory(post=live, name="Lezer Een", body="Goed stuk!")
    CommentFactory(post=live, name="Lezer Twee", body="Wacht nog", status="pending")
    InvitationFactory(email="nieuw@example.org", invited_by=editor, trend=trends[1],
                      series=series)
    SubscriberFactory()
    SubscriberFactory(confirmed_at=None)
    page = PageFactory(title="Over ons")
    draft = PostFactory(title="Mijn concept", author=guest, body_markdown="Een **begin**.")
    return {"editor": editor, "guest": guest, "live": live, "submitted": submitted,
            "series": series, "trend_list": trend_list, "page": page, "draft": draft}


def sweep(page, pages: dict, check=assert_axe_clean) -> list[str]:
    failures = []
    for label, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, f"{label}: {url} answered {response.status}"
        try:
            check(page, label)
        except AssertionError as exc:
            failures.append(f"{label} ({url}): {exc}")
    return failures


def admin_login(page, username):
    page.goto("/beheer/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/beheer/")


@pytest.mark.django_db(transaction=True)
def test_the_editors_admin_pages_have_no_serious_violations(page, world):
    admin_login(page, "redactie")
    post, series, trend_list = world["submitted"], world["series"], world["trend_list"]
    pages = {
        "dashboard": "/beheer/",
        "post list": "/beheer/blog/post/",
        "post change page with review panel": f"/beheer/blog/post/{post.pk}/change/",
        "new post": "/beheer/blog/post/add/",
        "series list": "/beheer/blog/series/",
        "series page": f"/beheer/blog/series/{series.pk}/change/",
        "planner": f"/beheer/blog/series/{series.pk}/inplannen/",
        "calendar": "/beheer/kalender/",
        "comments": "/beheer/comments/comment/",
        "held comments": "/beheer/comments/comment/?status__exact=pending",
        "invitations": "/beheer/guests/invitation/",
        "new invitation": "/beheer/guests/invitation/add/",
        "subscribers": "/beheer/newsletter/subscriber/",
        "trend lists": "/beheer/trends/trendlist/",
        "trend list page": f"/beheer/trends/trendlist/{trend_list.pk}/change/",
    }
    failures = sweep(page, pages)
    # The planner's preview (the table of slots) too.
    page.goto(f"/beheer/blog/series/{series.pk}/inplannen/")
    page.get_by_role("button", name="Voorstel bekijken").click()
    page.locator("table.desk-plan").wait_for()
    try:
        assert_axe_clean(page, "planner preview")
    except AssertionError as exc:
        failures.append(str(exc))
    assert not failures, "\n\n".join(failures)
    page.problems.assert_clean()


@pytest.mark.django_db(transaction=True)
def test_the_public_site_has_no_serious_violations(page, world):
    live = world["live"]
    when = timezone.localtime(live.publish_at)
    profile = live.author.profile
    pages = {
        "home": "/",
        "post with comments, trend and series": live.get_absolute_url(),
        "tag": reverse("blog:tag", args=["sociale-media"]),
        "author": profile.get_absolute_url(),
        "archive": reverse("blog:archive"),
        "archive year": reverse("blog:archive-year", args=[when.year]),
        "archive month": reverse("blog:archive-month", args=[when.year, when.month]),
        "trend lists": reverse("blog:trendlists"),
        "trend list": reverse("blog:trendlist", args=[2010]),
        "trend": reverse("blog:trend", args=[2010, 1]),
        "series": world["series"].get_absolute_url(),
        "search": reverse("blog:search") + "?q=social",
        "page": world["page"].get_absolute_url(),
        "newsletter": reverse("newsletter:subscribe"),
        "write for the blog": reverse("join:pitch"),
        "login": reverse("accounts:login"),
        "password reset": reverse("accounts:password_reset"),
    }
    failures = sweep(page, pages, check=assert_accessible)
    assert not failures, "\n\n".join(failures)
    page.problems.assert_clean()


@pytest.mark.django_db(transaction=True)
def test_the_writing_desk_has_no_serious_violations(page, world):
    draft = world["draft"]
    login(page, "hans@example.org", PASSWORD)
    page.wait_for_url("**/schrijven/")
    pages = {
        "desk": reverse("desk:dashboard"),
        "new post": reverse("desk:new"),
        "edit post": reverse("desk:edit", args=[draft.pk]),
        "submitted post (read only)": reverse("desk:edit", args=[world["submitted"].pk]),
        "history": reverse("desk:history", args=[draft.pk]),
        "preview": reverse("desk:preview", args=[draft.pk]),
        "profile": reverse("accounts:profile"),
    }
    failures = sweep(page, pages, check=assert_accessible)
    assert not failures, "\n\n".join(failures)
    page.problems.assert_clean()


def focused_class(page) -> str:
    return page.evaluate("() => document.activeElement.className")


@pytest.mark.django_db(transaction=True)
def test_after_a_failed_submit_the_focus_is_on_the_error_summary(page, world, settings):
    settings.COMMENT_MIN_SECONDS = 0
    # The desk: a post without a title.
    login(page, "hans@example.org", PASSWORD)
    page.wait_for_url("**/schrijven/")
    page.goto(reverse("desk:edit", args=[world["draft"].pk]))
    page.get_by_label("Titel").fill("")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert "error-summary" in focused_class(page)
    assert "Titel" in summary.inner_text()
    summary.get_by_role("link", name="Titel").click()
    assert page.evaluate("() => document.activeElement.name") == "title"
    assert_accessible(page, "desk form with errors")

    # A comment without a text.
    page.goto(world["live"].get_absolute_url())
    page.locator("#reactieformulier").get_by_role("button", name="Plaats reactie").click()
    page.locator("[data-error-summary]").wait_for()
    assert "error-summary" in focused_class(page)
    assert_accessible(page, "post with a refused comment")

    # The admin: a post without a title.
    page.context.clear_cookies()
    page.goto("/beheer/login/")
    page.get_by_label("Gebruikersnaam").fill("redactie")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/beheer/")
    page.goto(f"/beheer/blog/post/{world['live'].pk}/change/")
    page.locator("#id_title").fill("")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.locator(".errornote").wait_for()
    assert "errornote" in focused_class(page)
    assert_axe_clean(page, "admin post form with errors")
    page.problems.assert_clean()
