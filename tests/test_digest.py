"""The digest: each confirmed subscriber gets each new live post exactly once, by e-mail."""

import email
import email.policy
import re
import smtplib
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from newsletter import digest
from newsletter.models import DigestDelivery, DigestRun
from tests.factories import (
    LivePostFactory,
    PostFactory,
    ScheduledPostFactory,
    SubscriberFactory,
)

pytestmark = pytest.mark.django_db

State = DigestDelivery.State


class FlakyBackend(LocmemBackend):
    """Delivers `works_for` mails, then the mail server goes away."""

    works_for = 2
    sent = 0

    def send_messages(self, messages):
        if FlakyBackend.sent >= FlakyBackend.works_for:
            raise smtplib.SMTPServerDisconnected("verbinding met de mailserver verbroken")
        FlakyBackend.sent += len(messages)
        return super().send_messages(messages)


class RefusesOne(LocmemBackend):
    """A mail server that refuses one address."""

    def send_messages(self, messages):
        if messages[0].to == ["kapot@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"kapot@example.org": (550, b"onbekend")})
        return super().send_messages(messages)


def run_digest(*args) -> str:
    out = StringIO()
    call_command("send_digest", *args, stdout=out)
    return out.getvalue()


def received(outbox, address) -> list:
    return [message for message in outbox if message.to == [address]]


def test_a_confirmed_subscriber_gets_the_new_posts_in_one_dutch_mail(mailoutbox, guest):
    guest.profile.display_name = "Hans Versteegh"
    guest.profile.save()
    subscriber = SubscriberFactory(email="lezer@example.org", name="Marieke")
    first = LivePostFactory(title="Sociaal media is booming", author=guest,
                            excerpt="Social media veranderen het welzijnswerk.",
                            publish_at=timezone.now() - timedelta(days=2))
    second = LivePostFactory(title="Het Wauw verkopen",
                             publish_at=timezone.now() - timedelta(hours=3))

    output = run_digest()

    assert "Digest 1" in output and "1 verstuurd" in output
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lezer@example.org"]
    assert message.subject == "2 nieuwe berichten op Welzijn Nederland"
    text = message.body
    assert text.startswith("Beste Marieke,")
    assert text.index("Sociaal media is booming") < text.index("Het Wauw verkopen")
    assert "door Hans Versteegh" in text
    assert "Social media veranderen het welzijnswerk." in text
    assert f"https://welzijn.test{first.get_absolute_url()}" in text
    assert f"https://welzijn.test{second.get_absolute_url()}" in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="https://welzijn.test{first.get_absolute_url()}"' in html
    assert "Hans Versteegh" in html and "Afmelden met één klik" in html
    assert f"/nieuwsbrief/afmelden/{subscriber.unsubscribe_token}/" in html


def test_a_post_is_mailed_once_and_a_scheduled_post_only_once_it_is_live(mailoutbox):
    subscriber = SubscriberFactory()
    LivePostFactory(title="Al online", publish_at=timezone.now() - timedelta(hours=1))
    later = ScheduledPostFactory(title="Nog niet online",
                                 publish_at=timezone.now() + timedelta(days=2))

    run_digest()
    assert len(mailoutbox) == 1
    assert "Al online" in mailoutbox[0].body and "Nog niet online" not in mailoutbox[0].body

    assert "Geen nieuwe berichten" in run_digest()  # nothing new: nothing sent
    assert len(mailoutbox) == 1

    with time_machine.travel(later.publish_at + timedelta(minutes=5)):
        run_digest()
        run_digest()
    assert len(mailoutbox) == 2
    assert mailoutbox[1].subject == "Nieuw op Welzijn Nederland: Nog niet online"
    assert "Al online" not in mailoutbox[1].body
    assert [m.to for m in mailoutbox] == [[subscriber.email]] * 2
    assert DigestRun.objects.count() == 2
    assert all(run.finished_at for run in DigestRun.objects.all())


def test_only_confirmed_subscribers_receive_posts(mailoutbox):
    SubscriberFactory(email="wacht@example.org", confirmed_at=None)
    SubscriberFactory(email="weg@example.org", unsubscribed_at=timezone.now() - timedelta(days=1))
    SubscriberFactory(email="ja@example.org")
    LivePostFactory(publish_at=timezone.now() - timedelta(hours=1))

    run_digest()

    assert [m.to for m in mailoutbox] == [["ja@example.org"]]


def test_a_subscriber_gets_no_post_that_went_live_before_they_confirmed(mailoutbox):
    now = timezone.now()
    early = SubscriberFactory(email="vroeg@example.org", confirmed_at=now - timedelta(days=10))
    late = SubscriberFactory(email="laat@example.org", confirmed_at=now - timedelta(hours=2))
    LivePostFactory(title="Ouder bericht", publish_at=now - timedelta(days=1))
    LivePostFactory(title="Nieuwer bericht", publish_at=now - timedelta(hours=1))

    run_digest()

    [to_early] = received(mailoutbox, early.email)
    [to_late] = received(mailoutbox, late.email)
    assert "Ouder bericht" in to_early.body and "Nieuwer bericht" in to_early.body
    assert "Nieuwer bericht" in to_late.body and "Ouder bericht" not in to_late.body
    assert to_late.subject == "Nieuw op Welzijn Nederland: Nieuwer bericht"


def test_nobody_who_confirmed_after_every_post_gets_a_mail(mailoutbox):
    LivePostFactory(publish_at=timezone.now() - timedelta(days=1))
    SubscriberFactory(confirmed_at=timezone.now() - timedelta(hours=1))

    run_digest()

    assert not mailoutbox


def test_every_digest_has_one_click_unsubscribe_headers_that_work(mailoutbox):
    subscriber = SubscriberFactory()
    LivePostFactory(publish_at=timezone.now() - timedelta(hours=1))

    run_digest()

    headers = mailoutbox[0].extra_headers
    url = f"https://welzijn.test/nieuwsbrief/afmelden/{subscriber.unsubscribe_token}/"
    assert headers["List-Unsubscribe"] == f"<{url}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Id"] == "<nieuwsbrief.welzijn.test>"
    sent = email.message_from_bytes(mailoutbox[0].message().as_bytes(), policy=email.policy.default)
    assert sent["List-Unsubscribe"].strip() == f"<{url}>"  # as it leaves (folded: long)
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # What a mail program does with them (RFC 8058): a POST without cookies or CSRF token.
    path = re.match(r"<https://welzijn\.test(/.+)>", headers["List-Unsubscribe"]).group(1)
    response = Client(enforce_csrf_checks=True).post(
        path, data=headers["List-Unsubscribe-Post"],
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None

    LivePostFactory(publish_at=timezone.now() - timedelta(minutes=1))
    run_digest()
    assert len(mailoutbox) == 1


def test_a_dry_run_says_what_would_go_out_and_sends_nothing(mailoutbox):
    SubscriberFactory.create_batch(3)
    SubscriberFactory(confirmed_at=None)
    LivePostFactory(title="Trends welzijnswerk", publish_at=timezone.now() - timedelta(hours=1))

    output = run_digest("--dry-run")

    assert "Proefdraaien" in output
    assert "1 bericht(en) naar 3 abonnee(s)" in output and "Trends welzijnswerk" in output
    assert not mailoutbox and not DigestRun.objects.exists()

    run_digest()
    assert len(mailoutbox) == 3


def test_a_mail_server_that_fails_half_way_is_finished_by_the_next_run(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.test_digest.FlakyBackend"
    FlakyBackend.sent, FlakyBackend.works_for = 0, 2
    subscribers = SubscriberFactory.create_batch(6)
    LivePostFactory(publish_at=timezone.now() - timedelta(hours=1))

    with pytest.raises(CommandError, match="gestopt na 3 mislukte verzendingen"):
        run_digest()

    assert len(mailoutbox) == 2
    run = DigestRun.objects.get()
    assert run.finished_at is None
    assert run.deliveries.filter(state=State.SENT).count() == 2
    assert run.deliveries.filter(state=State.PENDING).count() == 4  # 3 failed, 1 untried

    FlakyBackend.works_for = 100  # the mail server is back
    output = run_digest()

    assert "Digest 1" in output and "4 verstuurd" in output
    assert sorted(m.to[0] for m in mailoutbox) == sorted(s.email for s in subscribers)
    run.refresh_from_db()
    assert run.finished_at is not None
    assert set(run.deliveries.values_list("state", flat=True)) == {State.SENT}
    assert run_digest() == "Geen nieuwe berichten: niets verstuurd.\n"
    assert len(mailoutbox) == 6


def test_an_address_that_keeps_failing_is_given_up_after_three_attempts(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.test_digest.RefusesOne"
    SubscriberFactory(email="kapot@example.org")
    SubscriberFactory(email="heel@example.org")
    LivePostFactory(publish_at=timezone.now() - timedelta(hours=1))

    for _ in range(3):
        run_digest()

    run = DigestRun.objects.get()
    failed = run.deliveries.get(subscriber__email="kapot@example.org")
    assert failed.state == State.FAILED and failed.attempts == 3
    assert "SMTPRecipientsRefused" in failed.error and "550" in failed.error
    assert "kapot@example.org" not in failed.error  # it outlives the subscriber's erasure
    assert run.finished_at is not None
    assert [m.to for m in mailoutbox] == [["heel@example.org"]]


def test_a_crash_between_sending_and_recording_never_sends_that_mail_twice(
    monkeypatch, mailoutbox
):
    subscribers = SubscriberFactory.create_batch(5)
    LivePostFactory(publish_at=timezone.now() - timedelta(hours=1))
    real_finish = digest._finish
    calls = {"sent": 0}

    def finish_then_power_cut(delivery, state, **fields):
        if state == State.SENT:
            calls["sent"] += 1
            if calls["sent"] == 3:
                raise SystemExit("stroomstoring")  # the mail went out, the record did not
        return real_finish(delivery, state, **fields)

    monkeypatch.setattr(digest, "_finish", finish_then_power_cut)
    with pytest.raises(SystemExit):
        run_digest()
    monkeypatch.setattr(digest, "_finish", real_finish)
    assert len(mailoutbox) == 3

    run_digest()  # at once: the unfinished run is finished, the mail in doubt left alone
    assert len(mailoutbox) == 5
    run = DigestRun.objects.get()
    assert run.finished_at is None
    assert run.deliveries.filter(state=State.SENDING).count() == 1

    with time_machine.travel(timezone.now() + digest.CLAIM_LEASE + timedelta(minutes=1)):
        run_digest()
    assert len(mailoutbox) == 5
    assert sorted(m.to[0] for m in mailoutbox) == sorted(s.email for s in subscribers)
    run.refresh_from_db()
    assert run.finished_at is not None
    assert run.deliveries.filter(state=State.INTERRUPTED).count() == 1


def test_someone_who_unsubscribes_while_a_run_is_under_way_is_skipped(mailoutbox):
    staying = SubscriberFactory()
    leaving = SubscriberFactory()
    LivePostFactory(publish_at=timezone.now() - timedelta(hours=1))
    run = digest.open_run()
    assert run.deliveries.count() == 2

    Client().post(f"/nieuwsbrief/afmelden/{leaving.unsubscribe_token}/")
    digest.send_digest()

    assert [m.to for m in mailoutbox] == [[staying.email]]
    assert run.deliveries.get(subscriber=leaving).state == State.SKIPPED


def test_a_post_withdrawn_before_its_mail_went_out_is_left_out(mailoutbox, editor):
    from blog import workflow

    SubscriberFactory()
    kept = LivePostFactory(title="Blijft staan", publish_at=timezone.now() - timedelta(hours=2))
    withdrawn = LivePostFactory(title="Teruggetrokken",
                                publish_at=timezone.now() - timedelta(hours=1))
    digest.open_run()
    workflow.unpublish(post=withdrawn, actor=editor)

    digest.send_digest()

    assert kept.title in mailoutbox[0].body and withdrawn.title not in mailoutbox[0].body


def test_queries_per_subscriber_do_not_grow_with_the_number_of_posts(
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(post_count):
        DigestRun.objects.all().delete()
        mail.outbox = []
        with time_machine.travel(timezone.now() + timedelta(days=post_count)):
            for _ in range(post_count):
                LivePostFactory(publish_at=timezone.now() - timedelta(minutes=30))
            run = digest.open_run()
            with CaptureQueriesContext(connection) as queries:
                digest.process_run(run)
        return len(queries)

    SubscriberFactory.create_batch(4)
    few, many = queries_for(1), queries_for(8)
    assert few == many
    # Per subscriber: claim (lock, update, load) and the result (update), plus the two
    # savepoint statements of the claim's transaction inside the test's transaction.
    assert few <= 7 + 6 * 4


def test_no_mail_when_there_are_no_subscribers_and_no_empty_runs_are_recorded(mailoutbox):
    LivePostFactory(publish_at=timezone.now() - timedelta(hours=1))
    run_digest()
    run_digest()
    assert not mailoutbox and not DigestRun.objects.exists()


def test_a_post_that_turns_up_late_in_a_closed_window_goes_out_with_the_next_run(
    mailoutbox, editor
):
    from blog import workflow

    SubscriberFactory(confirmed_at=timezone.now() - timedelta(days=30))
    LivePostFactory(title="Eerste", publish_at=timezone.now() - timedelta(hours=5))
    run_digest()
    first_run = DigestRun.objects.get()
    # Approved just now, with a publication moment from before that run's end.
    late = PostFactory(title="Te laat goedgekeurd")
    workflow.approve(post=late, actor=editor, publish_at=first_run.window_end
                     - timedelta(minutes=10), notify=False)
    ancient = PostFactory(title="Met terugwerkende kracht")
    workflow.approve(post=ancient, actor=editor, publish_at=first_run.window_end
                     - timedelta(days=3), notify=False)

    run_digest()

    assert len(mailoutbox) == 2
    assert "Te laat goedgekeurd" in mailoutbox[1].body
    assert "Met terugwerkende kracht" not in mailoutbox[1].body  # older than a day: history
    assert "Eerste" not in mailoutbox[1].body


def test_a_post_unpublished_and_approved_again_is_not_mailed_again(mailoutbox, editor):
    from blog import workflow

    SubscriberFactory()
    post = LivePostFactory(title="Met een tikfout", publish_at=timezone.now() - timedelta(hours=1))
    run_digest()
    workflow.unpublish(post=post, actor=editor, notify=False)
    workflow.approve(post=post, actor=editor, publish_at=timezone.now() - timedelta(minutes=1),
                     notify=False)
    LivePostFactory(title="Echt nieuw", publish_at=timezone.now() - timedelta(seconds=30))

    run_digest()

    assert len(mailoutbox) == 2
    assert "Echt nieuw" in mailoutbox[1].body and "Met een tikfout" not in mailoutbox[1].body
