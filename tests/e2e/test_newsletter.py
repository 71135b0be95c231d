"""A reader joins the mailing list from a post, confirms from the mail, and can leave again."""

import re

import pytest

from newsletter.models import Subscriber
from tests.e2e.a11y import assert_accessible
from tests.factories import LivePostFactory

CONFIRM_LINK = re.compile(r"https://welzijn\.test(/nieuwsbrief/bevestig/[\w-]+/)")


@pytest.fixture(autouse=True)
def _people_type_fast(settings):
    settings.COMMENT_MIN_SECONDS = 0


def test_subscribing_from_a_post_and_confirming_from_the_mail(page, mailoutbox, screenshot):
    post = LivePostFactory(title="Sociaal media is booming")

    page.goto(post.get_absolute_url())
    box = page.get_by_role("region", name="Meer lezen? Meld je aan voor de mailinglijst")
    box.scroll_into_view_if_needed()
    assert "geven het aan niemand door" in box.inner_text()
    box.get_by_label("E-mailadres").fill("marieke@example.org")
    box.get_by_label("Naam (niet verplicht)").fill("Marieke")
    screenshot(page, "newsletter-signup")
    box.get_by_role("button", name="Aanmelden").click()

    page.get_by_role("heading", name="Bijna klaar: kijk in je mailbox").wait_for()
    assert_accessible(page)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["marieke@example.org"]
    confirm_path = CONFIRM_LINK.search(mailoutbox[0].body).group(1)

    page.goto(confirm_path)
    assert_accessible(page)
    page.get_by_role("button", name="Ja, aanmelding bevestigen").click()
    page.get_by_role("heading", name="Je aanmelding is bevestigd").wait_for()
    assert "marieke@example.org" in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "newsletter-confirmed")
    assert Subscriber.objects.get().is_active_subscriber
    page.problems.assert_clean()


def test_a_typo_in_the_address_is_explained_and_kept(page):
    page.goto("/nieuwsbrief/")
    assert_accessible(page)
    # Past the browser's own check (type=email), to see the server's Dutch message.
    page.eval_on_selector("form.newsletter-form", "form => form.noValidate = true")
    page.get_by_label("E-mailadres").fill("marieke.example.org")
    page.get_by_role("button", name="Aanmelden").click()

    # Named in the error summary (which has the focus) and beside the field.
    summary = page.locator("[data-error-summary]")
    summary.get_by_text("Dit is geen geldig e-mailadres").wait_for()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator(".newsletter-fields").get_by_text(
        "Dit is geen geldig e-mailadres").is_visible()
    assert page.get_by_label("E-mailadres").input_value() == "marieke.example.org"
    assert_accessible(page)
    assert not Subscriber.objects.exists()
    page.problems.assert_clean()


def test_unsubscribing_from_the_link_in_a_mail(page):
    from tests.factories import SubscriberFactory

    subscriber = SubscriberFactory(email="weg@example.org")

    page.goto(f"/nieuwsbrief/afmelden/{subscriber.unsubscribe_token}/")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, afmelden").click()

    page.get_by_role("heading", name="Je bent afgemeld").wait_for()
    assert_accessible(page)
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    page.problems.assert_clean()
