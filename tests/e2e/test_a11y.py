"""The axe-core sweep: every page the editor uses in the admin, the public site and the
writing desk, with 0 critical and 0 serious violations (tests/e2e/a11y.py).

One world in every state the pages can show: posts draft to live, a series with parts and
its planner preview, held and approved comments, open and accepted invitations, subscribers
and a trend list with its trends.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Status
from tests.e2e.a11y import assert_axe_clean
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
    PageFactory(title="Over ons")
    return {"editor": editor, "guest": guest, "live": live, "submitted": submitted,
            "series": series, "trend_list": trend_list}


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
    failures = []
    for label, url in pages.items():
        page.goto(url)
        try:
            assert_axe_clean(page, label)
        except AssertionError as exc:
            failures.append(str(exc))
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
