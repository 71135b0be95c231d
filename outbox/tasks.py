"""`deliver`: the task that hands one queued mail to the mail server, exactly once.

- The mail is claimed with a conditional UPDATE (queued → sending), so two workers, or a task
  enqueued twice (a retry and the editor's "now"), never send it twice.
- The server refused or could not be reached: the mail goes back to the queue and a new task
  is enqueued for later (MAIL_RETRY_MINUTES: 1, 5, 30, 120, 360 minutes); after the last
  attempt it is failed, and the editor can send it again from the admin.
- A worker that dies while sending leaves the mail "sending"; after SENDING_LEASE it is shown
  as interrupted and not sent again, since it may have gone out: never twice is the promise.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task  # Django 6's Tasks framework, backported to 5.2

from outbox.models import Mail

logger = logging.getLogger(__name__)

SENDING_LEASE = timedelta(minutes=15)


def as_message(mail) -> EmailMultiAlternatives:
    stored = mail.message
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=stored.get("body", ""),
        from_email=stored.get("from") or None,
        to=list(mail.to),
        headers=stored.get("headers") or {},
        reply_to=stored.get("reply_to") or None,
    )
    if stored.get("html"):
        message.attach_alternative(stored["html"], "text/html")
    return message


def expire_interrupted(now=None) -> int:
    cutoff = (now or timezone.now()) - SENDING_LEASE
    return Mail.objects.filter(state=Mail.State.SENDING, claimed_at__lt=cutoff).update(
        state=Mail.State.INTERRUPTED,
        last_error="Verzenden onderbroken; mogelijk toch verstuurd, dus niet opnieuw geprobeerd.",
    )


def retry_delay(attempts: int) -> timedelta | None:
    """The wait after the `attempts`-th failed attempt, or None: no attempts left."""
    delays = settings.MAIL_RETRY_MINUTES
    if attempts > len(delays):
        return None
    return timedelta(minutes=delays[attempts - 1])


def schedule(mail_id: int, *, at=None) -> None:
    """Enqueue a delivery, at `at` if the task backend can defer (the database one can)."""
    if at is not None and deliver.get_backend().supports_defer:
        deliver.using(run_after=at).enqueue(mail_id)
    elif at is None:
        deliver.enqueue(mail_id)
    # An immediate backend (tests) cannot wait: the mail stays queued for a later "send now".


@task()
def deliver(mail_id: int) -> str:
    expire_interrupted()
    now = timezone.now()
    claimed = Mail.objects.filter(pk=mail_id, state=Mail.State.QUEUED).update(
        state=Mail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not queued"  # sent already, or another worker has it
    mail = Mail.objects.get(pk=mail_id)
    try:
        as_message(mail).send()
    except Exception as error:
        return _failed(mail, error)
    Mail.objects.filter(pk=mail_id).update(
        state=Mail.State.SENT, sent_at=timezone.now(), message={}, next_attempt_at=None,
        last_error="",
    )
    return "sent"


def _failed(mail, error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"[:1000]
    delay = retry_delay(mail.attempts)
    with transaction.atomic():
        if delay is None:
            Mail.objects.filter(pk=mail.pk).update(
                state=Mail.State.FAILED, next_attempt_at=None, last_error=text)
            logger.error("outbox: mail %s failed for good after %s attempts: %s",
                         mail.pk, mail.attempts, text)
            return "failed"
        at = timezone.now() + delay
        Mail.objects.filter(pk=mail.pk).update(
            state=Mail.State.QUEUED, next_attempt_at=at, last_error=text)
        schedule(mail.pk, at=at)
    logger.warning("outbox: mail %s attempt %s failed (%s); next at %s",
                   mail.pk, mail.attempts, text, at)
    return "retry"


def send_again(mail_ids) -> int:
    """The editor's "send again now": failed, interrupted and waiting mails are queued now."""
    count = 0
    with transaction.atomic():
        for mail in Mail.objects.select_for_update().filter(
            pk__in=list(mail_ids),
            state__in=[Mail.State.FAILED, Mail.State.INTERRUPTED, Mail.State.QUEUED],
        ):
            Mail.objects.filter(pk=mail.pk).update(state=Mail.State.QUEUED, next_attempt_at=None)
            schedule(mail.pk)
            count += 1
    return count
