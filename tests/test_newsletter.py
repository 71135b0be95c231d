"""The mailing list's double opt-in: sign up, confirm by mail, unsubscribe, come back."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from core.antispam import make_form_timestamp
from newsletter.models import Subscriber
from tests.factories import LivePostFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/nieuwsbrief/"
THANKS = "/nieuwsbrief/bedankt/"
CONFIRM_LINK = re.compile(r"https://welzijn\.test(/nieuwsbrief/bevestig/[\w-]+/)")


def signup(client, email, name="", **extra):
    data = {
        "email": email,
        "name": name,
        "website_confirm": "",
        # Filled in a while ago, as a person would.
        "form_started": make_form_timestamp(time.time() - 30),
        **extra,
    }
    return client.post(SIGNUP, data)


def confirm_path(message) -> str:
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    html = message.alternatives[0][0]
    assert match.group(0) in html
    return match.group(1)


def signed_up(client, mailoutbox, django_capture_on_commit_callbacks, email, name=""):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, email, name)
    assert response.status_code == 302
    return confirm_path(mailoutbox[-1])


@pytest.mark.parametrize("where", ["post", "home", "signup page"])
def test_the_signup_form_is_on_every_post_the_home_page_and_its_own_page(client, where):
    post = LivePostFactory(title="Sociaal media is booming")
    url = {"post": post.get_absolute_url(), "home": "/", "signup page": SIGNUP}[where]

    html = client.get(url).content.decode()

    assert f'action="{SIGNUP}"' in html
    assert 'type="email" name="email"' in html and 'name="name"' in html
    assert "alleen om je nieuwe berichten te sturen" in html  # the privacy sentence
    assert 'name="website_confirm"' in html and 'class="hp"' in html  # the honeypot
    started = re.search(r'name="form_started" value="([^"]*)"', html).group(1)
    if where != "signup page":
        # A shared page holds no reader's keys: the form fetches them when it is used.
        assert started == "" and 'data-form-keys="/formulier/sleutels/"' in html
        started = client.get("/formulier/sleutels/").json()["form_started"]
    stamp = signing.loads(started, salt="welzijn.antispam.form-timestamp")
    assert abs(stamp["t"] - time.time()) < 60 and stamp["n"]  # when, and a single-use nonce


def test_signing_up_mails_a_confirmation_link_and_only_the_button_confirms(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "Lezer@Example.org ", "Marieke")

    assert response.status_code == 302 and response["Location"] == THANKS
    thanks = client.get(THANKS).content.decode()
    assert "kijk in je mailbox" in thanks
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "lezer@example.org" and subscriber.name == "Marieke"
    assert subscriber.state == Subscriber.State.PENDING

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lezer@example.org"]
    assert message.subject.startswith("Bevestig je aanmelding")
    assert message.body.startswith("Hallo,") and "7 dagen geldig" in message.body
    # Not the typed name: a stranger could put a spam text there and mail it to anyone.
    assert "Marieke" not in message.body and "Marieke" not in message.alternatives[0][0]
    path = confirm_path(message)
    assert path == f"/nieuwsbrief/bevestig/{subscriber.confirm_token}/"

    # Opening the link (as a mail scanner does) changes nothing yet.
    page = client.get(path)
    assert page.status_code == 200
    assert "Ja, aanmelding bevestigen" in page.content.decode()
    assert "aan met: Marieke." in page.content.decode()  # the owner sees the name first
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None

    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == path
    page = client.get(path).content.decode()
    assert "Je aanmelding is bevestigd" in page
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.CONFIRMED and subscriber.is_active_subscriber

    # Pressing the button again (or reloading) keeps it as it is.
    confirmed_at = subscriber.confirmed_at
    client.post(path)
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == confirmed_at


def test_a_confirmation_link_expires(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_CONFIRM_DAYS = 2
    path = signed_up(client, mailoutbox, django_capture_on_commit_callbacks, "laat@example.org")

    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        page = client.get(path)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Deze link is verlopen" in html
        assert 'value="laat@example.org"' in html  # a new sign-up, filled in
        client.post(path)
        assert Subscriber.objects.get().confirmed_at is None

        # Signing up again mails a new link; the old one no longer exists.
        new_path = signed_up(
            client, mailoutbox, django_capture_on_commit_callbacks, "laat@example.org"
        )
        assert new_path != path
        assert client.get(path).status_code == 404
        client.post(new_path)
    assert Subscriber.objects.get().is_active_subscriber


def test_unknown_links_are_404(client):
    SubscriberFactory()
    for url in ["/nieuwsbrief/bevestig/verzonnen/", "/nieuwsbrief/afmelden/verzonnen/"]:
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


def test_unsubscribing_shows_a_button_first_and_works_on_post(client):
    subscriber = SubscriberFactory(email="weg@example.org")
    path = f"/nieuwsbrief/afmelden/{subscriber.unsubscribe_token}/"

    page = client.get(path)
    assert page.status_code == 200
    assert "Ja, afmelden" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    subscriber.refresh_from_db()
    assert subscriber.is_active_subscriber  # a link scanner opening the URL changes nothing

    response = client.post(path)
    assert response.status_code == 200
    assert "Je bent afgemeld" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED
    left_at = subscriber.unsubscribed_at

    assert client.post(path).status_code == 200  # again: still fine, same moment kept
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at == left_at
    assert "Je bent afgemeld" in client.get(path).content.decode()


def test_one_click_unsubscribe_needs_no_csrf_token():
    subscriber = SubscriberFactory()
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(
        f"/nieuwsbrief/afmelden/{subscriber.unsubscribe_token}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None


def test_confirming_needs_a_csrf_token_like_any_form(client):
    subscriber = SubscriberFactory(confirmed_at=None, confirmation_sent_at=timezone.now())
    forged = Client(enforce_csrf_checks=True).post(
        f"/nieuwsbrief/bevestig/{subscriber.confirm_token}/"
    )
    assert forged.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_after_unsubscribing_the_old_confirmation_link_does_not_resubscribe(client):
    subscriber = SubscriberFactory(unsubscribed_at=timezone.now())
    path = f"/nieuwsbrief/bevestig/{subscriber.confirm_token}/"

    page = client.get(path).content.decode()
    client.post(path)

    assert "Dit adres is afgemeld" in page
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED


def test_resubscribing_after_unsubscribing_needs_a_fresh_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    path = signed_up(client, mailoutbox, django_capture_on_commit_callbacks, "terug@example.org")
    client.post(path)
    subscriber = Subscriber.objects.get()
    first_confirmation = subscriber.confirmed_at
    client.post(f"/nieuwsbrief/afmelden/{subscriber.unsubscribe_token}/")

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        new_path = signed_up(
            client, mailoutbox, django_capture_on_commit_callbacks, "terug@example.org"
        )
        subscriber.refresh_from_db()
        assert subscriber.state == Subscriber.State.PENDING  # not on the list until confirmed
        assert new_path != path and client.get(path).status_code == 404

        client.post(new_path)

    subscriber.refresh_from_db()
    assert Subscriber.objects.count() == 1
    assert subscriber.is_active_subscriber
    assert subscriber.confirmed_at > first_confirmation


def test_a_bad_address_gets_a_dutch_message_and_keeps_what_was_typed(client, mailoutbox):
    response = signup(client, "marieke.example.org", "Marieke")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit is geen geldig e-mailadres" in html
    assert 'value="marieke.example.org"' in html and 'value="Marieke"' in html
    assert not Subscriber.objects.exists() and not mailoutbox


def test_an_empty_address_is_asked_for(client):
    html = signup(client, "").content.decode()
    assert "Vul je e-mailadres in." in html


@pytest.mark.parametrize(
    "trap",
    [
        {"website_confirm": "https://spam.example"},  # the honeypot
        {"form_started": "vervalst"},  # a forged timestamp
    ],
)
def test_bots_get_the_same_answer_and_nothing_happens(
    client, mailoutbox, django_capture_on_commit_callbacks, trap
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "bot@example.org", **trap)

    assert response.status_code == 302 and response["Location"] == THANKS
    assert not Subscriber.objects.exists() and not mailoutbox


def test_a_form_sent_faster_than_a_person_types_is_a_bots(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENT_MIN_SECONDS = 3
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "snel@example.org", form_started=make_form_timestamp())
    assert response["Location"] == THANKS
    assert not Subscriber.objects.exists() and not mailoutbox


def test_a_form_left_open_for_more_than_a_day_comes_back_filled_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "laat@example.org", name="Lotte",
                          form_started=make_form_timestamp(time.time() - 86400 - 60))
    html = response.content.decode()
    assert response.status_code == 200 and "langer dan een dag open" in html
    assert 'value="laat@example.org"' in html and 'value="Lotte"' in html
    assert not Subscriber.objects.exists() and not mailoutbox
    fresh = re.search(r'name="form_started" value="([^"]+)"', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "laat@example.org", name="Lotte", form_started=fresh)
    assert response["Location"] == THANKS
    assert Subscriber.objects.get().email == "laat@example.org" and len(mailoutbox) == 1


def test_too_many_signups_from_one_client_get_a_429_in_dutch(client, settings, mailoutbox,
                                                           steady_rate_window):
    settings.NEWSLETTER_RATE_LIMIT = "2/m"
    assert signup(client, "een@example.org").status_code == 302
    assert signup(client, "twee@example.org").status_code == 302

    response = signup(client, "drie@example.org", "Drie")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Wacht een minuut en probeer het dan opnieuw." in html
    assert 'value="drie@example.org"' in html and 'value="Drie"' in html
    assert not Subscriber.objects.filter(email="drie@example.org").exists()
    # Another client is not affected.
    other = Client(REMOTE_ADDR="192.0.2.9")
    assert signup(other, "vier@example.org").status_code == 302


def test_one_address_in_any_spelling_is_one_subscriber(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "Lezer@Example.org")
        signup(client, " lezer@example.ORG ")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["lezer@example.org"]
