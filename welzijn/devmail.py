"""Development only: the mails `make run` wrote to files (EMAIL_FILE_PATH, var/mail/), at
/beheer/mail/, newest first, so a link in a confirmation or invitation mail can be clicked.

Django's file backend writes one `*.log` file per connection, holding each message as sent
(RFC 5322) followed by a line of 79 dashes. With DEBUG off this page does not exist (404).
"""

from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
MAX_MESSAGES = 100
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


@dataclass
class StoredMail:
    file: str
    sent_at: datetime | None
    subject: str
    sender: str
    to: str
    text: str


def read_mails(folder: Path, limit: int = MAX_MESSAGES) -> list[StoredMail]:
    """The newest `limit` mails in `folder`, newest first."""
    if not folder.is_dir():
        return []
    mails: list[StoredMail] = []
    files = sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in files:
        chunks = [c for c in path.read_bytes().split(SEPARATOR) if c.strip()]
        for chunk in reversed(chunks):
            message = message_from_bytes(chunk.lstrip(b"\n"), policy=policy.default)
            body = message.get_body(preferencelist=("plain", "html"))
            try:
                sent_at = parsedate_to_datetime(message["Date"]) if message["Date"] else None
            except (TypeError, ValueError):
                sent_at = None
            mails.append(StoredMail(
                file=path.name, sent_at=sent_at, subject=str(message["Subject"] or ""),
                sender=str(message["From"] or ""), to=str(message["To"] or ""),
                text=body.get_content() if body is not None else "",
            ))
            if len(mails) >= limit:
                return mails
    return mails


def dev_mail_view(request):
    if not settings.DEBUG:
        raise Http404
    folder = Path(settings.EMAIL_FILE_PATH)
    context = {
        **admin.site.each_context(request),
        "title": _("Verstuurde mails (ontwikkeling)"),
        "mails": read_mails(folder),
        "folder": folder,
        "file_backend": settings.EMAIL_BACKEND == FILE_BACKEND,
        "backend": settings.EMAIL_BACKEND,
    }
    return TemplateResponse(request, "admin/devmail.html", context)
