"""Mail leaves the request through the real queue: the database task backend and its worker.

Every mail is queued in the outbox with its event (same transaction) and sent by
`manage.py db_worker` (here its Worker, in this process, in batch mode). A mail server that
fails is retried with back-off, a mail is never sent twice, and the editor sees what is
queued, failed and retried in the admin. Before issue 12, mail was sent inside the request:
a slow server slowed the page, and an unknown address answered faster than a known one.
"""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail as django_mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from comments import moderation
from outbox.mail import send_templated_mail
from outbox.models import Mail
from outbox.tasks import deliver
from tests.comment_helpers import comment_url, human_form
from tests.factories import PASSWORD, EditorFactory, GuestFactory, LivePostFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def real_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAIL_RETRY_MINUTES = [1, 5]
    django_mail.outbox = []


def work() -> None:
    """What `manage.py db_worker --batch` does: run every task that is due, then stop."""
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="test-worker",
           excluded_queue_names=[]).run()


class FailingFirst:
    """A mail server that refuses the first `failures` messages, then accepts."""

    failures = 2
    sent = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FailingFirst.sent += 1
        if FailingFirst.sent <= FailingFirst.failures:
            raise smtplib.SMTPServerDisconnected("mailserver weg")
        django_mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_server(settings):
    FailingFirst.sent = 0
    settings.EMAIL_BACKEND = "tests.test_mail_queue.FailingFirst"
    return FailingFirst


def queue_one(key="test:1", to="lezer@example.org"):
    return send_templated_mail(key=key, template="comment_confirm", subject="Bevestig",
                               to=[to], context={"confirm_url": "https://welzijn.test/x/",
                                                 "confirm_days": 14,
                                                 "comment": None, "post": None})


def test_the_request_only_queues_and_the_worker_sends(client):
    post = LivePostFactory(author=GuestFactory(email="auteur@example.org"))
    EditorFactory(email="redactie@example.org")
    response = client.post(comment_url(post), human_form(body="Herkenbaar."))
    assert response.status_code == 302
    assert django_mail.outbox == []  # nothing was sent by the request
    queued = Mail.objects.all()
    assert {m.state for m in queued} == {Mail.State.QUEUED}
    assert sorted(m.to[0] for m in queued) == ["auteur@example.org", "redactie@example.org"]
    assert DBTaskResult.objects.ready().count() == 2

    work()
    assert sorted(m.to[0] for m in django_mail.outbox) == [
        "auteur@example.org", "redactie@example.org"]
    for sent in Mail.objects.all():
        assert sent.state == Mail.State.SENT and sent.attempts == 1
        assert sent.message == {}  # links in it (the author's reply link) are not kept
    work()
    assert len(django_mail.outbox) == 2


def test_a_rolled_back_event_leaves_no_mail_and_no_task():
    post = LivePostFactory(author=GuestFactory(email="auteur@example.org"))
    with pytest.raises(RuntimeError), transaction.atomic():
        moderation.post_comment(post=post, name="Jan", email="jan@example.org", body="Hoi")
        assert Mail.objects.count() == 1
        raise RuntimeError("iets daarna mislukt")
    assert not Mail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_failing_mail_server_is_retried_with_back_off(flaky_server):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        mail = queue_one()
        work()
    mail.refresh_from_db()
    assert mail.state == Mail.State.QUEUED and mail.attempts == 1
    assert mail.next_attempt_at == start + timedelta(minutes=1)
    assert "mailserver weg" in mail.last_error
    retry = DBTaskResult.objects.filter(status="READY", run_after__gt=start).get()  # waits
    assert retry.run_after == mail.next_attempt_at

    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        work()  # not due yet
    mail.refresh_from_db()
    assert mail.attempts == 1

    with time_machine.travel(start + timedelta(minutes=1, seconds=1), tick=False):
        work()
    mail.refresh_from_db()
    assert mail.attempts == 2 and mail.state == Mail.State.QUEUED
    assert mail.next_attempt_at == start + timedelta(minutes=6, seconds=1)  # then 5 minutes

    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        work()
    mail.refresh_from_db()
    assert mail.state == Mail.State.SENT and mail.attempts == 3
    assert [m.to for m in django_mail.outbox] == [["lezer@example.org"]]


def test_after_the_last_attempt_the_editor_sees_it_failed_and_sends_it_again(
        flaky_server, client, settings):
    settings.MAIL_RETRY_MINUTES = [1]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        mail = queue_one()
        work()
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        work()
    mail.refresh_from_db()
    assert mail.state == Mail.State.FAILED and mail.attempts == 2
    assert mail.message  # kept, so it can still be sent

    editor = EditorFactory()
    assert client.login(username=editor.username, password=PASSWORD)
    changelist = reverse("admin:outbox_mail_changelist")
    html = client.get(changelist + "?state__exact=failed").content.decode()
    assert "mislukt" in html and "mailserver weg" in html and "lezer@example.org" in html
    response = client.post(changelist, {"action": "send_again_now",
                                        "_selected_action": [mail.pk]}, follow=True)
    assert "1 e-mail staat weer in de wachtrij" in response.content.decode()
    work()
    mail.refresh_from_db()
    assert mail.state == Mail.State.SENT and mail.attempts == 3
    assert len(django_mail.outbox) == 1


def test_the_admin_shows_what_waits_and_what_was_retried(flaky_server, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        queue_one(key="test:wacht")
        work()  # the first attempt fails: queued again, for a minute later
    editor = EditorFactory()
    assert client.login(username=editor.username, password=PASSWORD)
    html = client.get(reverse("admin:outbox_mail_changelist")
                      + "?state__exact=queued").content.decode()
    assert "in de wachtrij" in html and "mailserver weg" in html


def test_one_mail_is_never_sent_twice():
    mail = queue_one()
    deliver.enqueue(mail.pk)  # e.g. the editor's "send again" while a retry was waiting
    assert queue_one().pk == mail.pk  # the same event queues nothing new
    assert Mail.objects.count() == 1 and DBTaskResult.objects.count() == 2
    work()
    assert len(django_mail.outbox) == 1
    assert set(DBTaskResult.objects.values_list("return_value", flat=True)) == {
        "sent", "not queued"}


def test_a_send_that_was_cut_off_is_not_repeated():
    mail = queue_one()
    Mail.objects.filter(pk=mail.pk).update(state=Mail.State.SENDING, attempts=1,
                                           claimed_at=timezone.now() - timedelta(hours=1))
    work()
    mail.refresh_from_db()
    assert mail.state == Mail.State.INTERRUPTED and "onderbroken" in mail.last_error
    assert django_mail.outbox == []


def signup(client, email):
    from core.antispam import make_form_timestamp

    return client.post(reverse("newsletter:subscribe"), {
        "email": email, "website_confirm": "",
        "form_started": make_form_timestamp(timezone.now().timestamp() - 60)})


@pytest.mark.parametrize("form", ["password reset", "newsletter sign-up"])
def test_known_and_unknown_addresses_cost_the_request_the_same(client, form):
    """The same queries for an address that has an account (or is on the list) and one that
    has not: one task row each; the mail is decided and sent by the worker."""
    from newsletter.models import Subscriber

    GuestFactory(email="bekend@example.org")
    Subscriber.objects.create(email="bekend@example.org", confirmed_at=timezone.now())

    def post(email):
        if form == "password reset":
            return client.post(reverse("accounts:password_reset"), {"email": email})
        return signup(client, email)

    statements = {}
    for who, email in (("known", "bekend@example.org"), ("unknown", "onbekend@example.org")):
        with CaptureQueriesContext(connection) as queries:
            response = post(email)
        assert response.status_code == 302
        statements[who] = [q["sql"].split(" VALUES ")[0].split(" WHERE ")[0]
                           for q in queries.captured_queries]
    assert statements["known"] == statements["unknown"]
    assert DBTaskResult.objects.count() == 2
    assert django_mail.outbox == []

    work()
    if form == "password reset":
        assert [m.to for m in django_mail.outbox] == [["bekend@example.org"]]
    else:  # the confirmed address gets nothing; the new one its confirmation link
        assert [m.to for m in django_mail.outbox] == [["onbekend@example.org"]]


def test_old_settled_mails_are_pruned_and_waiting_ones_kept():
    from django.core.management import call_command

    old = timezone.now() - timedelta(days=40)
    sent, waiting = queue_one(key="oud:verstuurd"), queue_one(key="oud:wachtend")
    Mail.objects.filter(pk=sent.pk).update(state=Mail.State.SENT, created_at=old)
    Mail.objects.filter(pk=waiting.pk).update(created_at=old)
    recent = queue_one(key="nieuw")
    Mail.objects.filter(pk=recent.pk).update(state=Mail.State.SENT)
    call_command("prune_outbox", "--days", "30")
    assert set(Mail.objects.values_list("key", flat=True)) == {"oud:wachtend", "nieuw"}
