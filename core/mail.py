"""Templated e-mail: every mail is plain text plus HTML, rendered from templates/emails/.

Rendering only: mail is sent through the outbox (`outbox.mail.send_templated_mail`), which
queues it with its event and leaves the sending to a task worker."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def build_templated_mail(
    *,
    template: str,
    subject: str,
    to: Iterable[str],
    context: dict | None = None,
    headers: dict | None = None,
    reply_to: Iterable[str] | None = None,
) -> EmailMultiAlternatives:
    """Render `emails/<template>.txt` and `.html` into one multipart message."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **(context or {})}
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=list(to),
        headers=headers or {},
        reply_to=list(reply_to) if reply_to else None,
    )
    message.attach_alternative(html, "text/html")
    return message

