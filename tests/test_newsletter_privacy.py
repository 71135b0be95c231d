"""The sign-up form tells nobody who is on the list, and cannot be used to flood a mailbox."""

import smtplib
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.utils import timezone

from core.antispam import make_form_timestamp
from newsletter.models import Subscriber
from tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

ADDRESS = "bekend@example.org"


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("mailserver onbereikbaar")


_clients = iter(range(1, 10_000))


def signup(email, name=""):
    """A sign-up from a client of its own (so the per-client rate limit stays out of it)."""
    client = Client(REMOTE_ADDR=f"198.51.100.{next(_clients) % 250 + 1}")
    return client, client.post(
        "/nieuwsbrief/",
        {"email": email, "name": name, "website_confirm": "",
         "form_started": make_form_timestamp(time.time() - 30)},
    )


def make_state(state):
    if state == "new":
        return None
    if state == "pending":
        return SubscriberFactory(email=ADDRESS, confirmed_at=None,
                                 confirmation_sent_at=timezone.now() - timedelta(hours=1))
    if state == "confirmed":
        return SubscriberFactory(email=ADDRESS)
    return SubscriberFactory(email=ADDRESS, unsubscribed_at=timezone.now() - timedelta(days=2))


def test_the_answer_is_identical_for_new_pending_confirmed_and_unsubscribed_addresses(
    django_capture_on_commit_callbacks,
):
    answers = {}
    for state in ["new", "pending", "confirmed", "unsubscribed"]:
        Subscriber.objects.all().delete()
        make_state(state)
        seen = []
        for _attempt in range(2):  # and the same every time
            with django_capture_on_commit_callbacks(execute=True):
                client, response = signup(ADDRESS, "Bekende")
            followed = client.get(response["Location"])
            seen.append((
                response.status_code,
                response["Location"],
                sorted((k, v) for k, v in response.headers.items()),
                sorted(response.cookies.keys()),
                followed.status_code,
                followed.content,
            ))
        assert seen[0] == seen[1], state
        answers[state] = seen[0]
        assert Subscriber.objects.filter(email=ADDRESS).count() == 1  # never a duplicate

    assert answers["new"][0] == 302 and answers["new"][1] == "/nieuwsbrief/bedankt/"
    assert answers["new"] == answers["pending"] == answers["confirmed"] == answers["unsubscribed"]


def test_a_confirmed_address_is_left_alone(mailoutbox, django_capture_on_commit_callbacks):
    subscriber = SubscriberFactory(email=ADDRESS, name="Echte naam")
    with django_capture_on_commit_callbacks(execute=True):
        signup(ADDRESS, "Iemand anders")

    assert not mailoutbox
    subscriber.refresh_from_db()
    assert subscriber.is_active_subscriber and subscriber.name == "Echte naam"


def test_a_pending_address_gets_its_link_again_but_never_a_flood(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_RESEND_MINUTES = 15
    settings.NEWSLETTER_MAX_CONFIRMATION_MAILS = 3
    settings.NEWSLETTER_CONFIRM_DAYS = 7
    start = timezone.now()

    def mails_after(minutes):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                _client, response = signup(ADDRESS)
        assert response["Location"] == "/nieuwsbrief/bedankt/"
        return len(mailoutbox)

    assert mails_after(0) == 1
    assert mails_after(1) == 1  # too soon after the last one
    assert mails_after(16) == 2
    assert mails_after(20) == 2
    assert mails_after(32) == 3
    assert [mails_after(m) for m in (50, 120, 24 * 60, 3 * 24 * 60)] == [3, 3, 3, 3]  # capped
    links = {message.body.split("https://welzijn.test")[1].split()[0] for message in mailoutbox}
    assert len(links) == 1  # the same link each time: an earlier mail keeps working

    # Once that link has expired, a sign-up starts a new period with a new link.
    assert mails_after(32 + 7 * 24 * 60 + 1) == 4
    assert mailoutbox[-1].body.split("https://welzijn.test")[1].split()[0] not in links


def test_the_resent_link_is_valid_for_the_full_period_from_the_last_mail(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_CONFIRM_DAYS = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            signup(ADDRESS)
    with time_machine.travel(start + timedelta(hours=20), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            signup(ADDRESS)
    assert len(mailoutbox) == 2
    subscriber = Subscriber.objects.get()
    with time_machine.travel(start + timedelta(hours=30), tick=False):
        Client().post(f"/nieuwsbrief/bevestig/{subscriber.confirm_token}/")
    subscriber.refresh_from_db()
    assert subscriber.is_active_subscriber


def test_when_the_mail_server_fails_the_answer_is_the_same_and_the_mail_is_retried(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    from outbox.models import Mail
    from outbox.tasks import deliver

    settings.EMAIL_BACKEND = "tests.test_newsletter_privacy.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _client, response = signup(ADDRESS)
    assert response.status_code == 302 and response["Location"] == "/nieuwsbrief/bedankt/"
    waiting = Mail.objects.get(to=[ADDRESS])
    assert waiting.state == Mail.State.QUEUED and waiting.next_attempt_at is not None
    assert "mailserver onbereikbaar" in waiting.last_error

    # The server is back; the retry the outbox scheduled sends that very mail, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        deliver.enqueue(waiting.pk)
        deliver.enqueue(waiting.pk)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [ADDRESS]
