"""Sending mail: queue it with the event it tells about; a task worker sends it.

`send_templated_mail(key=…, template=…, subject=…, to=[…], context={…})` renders the mail
now (core.mail), stores it in the outbox and enqueues `outbox.tasks.deliver`, all inside the
caller's transaction. With the database task queue (django-tasks-db, the same database)
this makes the mail atomic with its event: a comment that rolls back leaves no mail behind,
and a committed one always has its mail queued. Nothing here talks to the mail server, so a
slow or dead SMTP server never slows or fails a page.

`key` names the event ("post-event:42:author"); a second mail for the same key is not
queued, so one event never yields two mails.
"""

import logging
import uuid

from django.db import transaction

from core.mail import build_templated_mail
from outbox.models import Mail
from outbox.tasks import deliver

logger = logging.getLogger(__name__)


def send_templated_mail(*, key: str | None = None, robust: bool = True, **message) -> Mail | None:
    """Queue `emails/<template>` for `to`; returns the Mail (None if it could not be queued).

    `robust` (the default): a failure to queue is logged and never undoes the caller's own
    work (the comment stays placed). go-live passes False, so its post is retried instead.
    """
    if not list(message.get("to") or []):
        return None
    try:
        with transaction.atomic():
            return _queue(key or f"mail:{uuid.uuid4()}", **message)
    except Exception:
        if not robust:
            raise
        logger.exception("outbox: could not queue the mail for %s", key)
        return None


def _queue(key: str, *, template: str, subject: str, to, context=None, headers=None,
           reply_to=None) -> Mail:
    built = build_templated_mail(template=template, subject=subject, to=to, context=context,
                                 headers=headers, reply_to=reply_to)
    mail, created = Mail.objects.get_or_create(
        key=key[:200],
        defaults={
            "template": template,
            "subject": built.subject[:300],
            "to": list(built.to),
            "message": {
                "from": built.from_email,
                "body": built.body,
                "html": built.alternatives[0][0] if built.alternatives else "",
                "headers": dict(built.extra_headers),
                "reply_to": list(built.reply_to),
            },
        },
    )
    if created:
        deliver.enqueue(mail.pk)
    else:
        logger.info("outbox: %s was queued before; not again", key)
    return mail
