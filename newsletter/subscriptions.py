"""The mailing list's rules: sign up (double opt-in), confirm, unsubscribe.

The only code that changes a Subscriber. Views call these functions and show the same
answer whatever happened, so the sign-up form never tells anyone whether an address is on
the list.

- `subscribe` creates a pending address and mails a confirmation link. An address that
  is already pending gets the link again, but at most NEWSLETTER_MAX_CONFIRMATION_MAILS
  times per confirmation period and NEWSLETTER_RESEND_MINUTES apart, so the form cannot
  be used to flood a stranger's mailbox. A confirmed address is left alone; an
  unsubscribed (or expired) one starts afresh with a new link.
- `confirm` turns a pending address into a confirmed one while its link is valid
  (NEWSLETTER_CONFIRM_DAYS after the last confirmation mail).
- `unsubscribe` works for any address, any number of times.
"""

import enum
import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import new_token
from core.http import absolute_url
from newsletter.models import Subscriber
from outbox.mail import send_templated_mail

logger = logging.getLogger(__name__)


class SignupResult(enum.Enum):
    """What `subscribe` did. For logs and tests only: the reader sees the same page."""

    CREATED = "created"  # new address, confirmation mailed
    RESTARTED = "restarted"  # unsubscribed or expired address, fresh link mailed
    RESENT = "resent"  # still pending, the same link mailed again
    THROTTLED = "throttled"  # still pending, but mailed too recently or too often
    ALREADY_CONFIRMED = "already_confirmed"  # nothing to do


class LinkState(enum.Enum):
    """What a confirmation link can do for the person holding it."""

    PENDING = "pending"  # valid: confirming is one button away
    CONFIRMED = "confirmed"
    EXPIRED = "expired"
    UNSUBSCRIBED = "unsubscribed"


def normalise_email(email: str) -> str:
    """One spelling per address, so 'Lezer@Example.org ' cannot sign up twice."""
    return email.strip().lower()


def confirm_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("newsletter:confirm", args=[subscriber.confirm_token]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("newsletter:unsubscribe", args=[subscriber.unsubscribe_token]))


def list_headers(subscriber: Subscriber) -> dict[str, str]:
    """Headers for every list mail: one-click unsubscribe (RFC 2369, RFC 8058) and List-Id."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<nieuwsbrief.{host}>",
    }


def _locked(email: str) -> Subscriber | None:
    return Subscriber.objects.select_for_update().filter(email=email).first()


def _interval_passed(subscriber: Subscriber, now) -> bool:
    last = subscriber.confirmation_sent_at
    return last is None or now - last >= timedelta(minutes=settings.NEWSLETTER_RESEND_MINUTES)


def _may_mail_again(subscriber: Subscriber, now) -> bool:
    """Within one confirmation period: a few mails, some minutes apart."""
    return (
        subscriber.confirmation_mails < settings.NEWSLETTER_MAX_CONFIRMATION_MAILS
        and _interval_passed(subscriber, now)
    )


def _start_period(subscriber: Subscriber, *, name: str) -> None:
    """A fresh confirmation period: a new link, the old one (if any) stops working."""
    subscriber.confirm_token = new_token()
    subscriber.confirmed_at = None
    subscriber.unsubscribed_at = None
    subscriber.confirmation_mails = 0
    if name:
        subscriber.name = name


def _mail_confirmation(subscriber: Subscriber, *, now) -> None:
    subscriber.confirmation_sent_at = now
    subscriber.confirmation_mails += 1
    subscriber.save()
    send_confirmation_mail(subscriber_id=subscriber.pk)


@transaction.atomic
def subscribe(*, email: str, name: str = "", now=None) -> SignupResult:
    """Sign `email` up (double opt-in). Idempotent: never a second row for one address."""
    now = now or timezone.now()
    email = normalise_email(email)
    name = " ".join(name.split())[: Subscriber._meta.get_field("name").max_length]

    subscriber = _locked(email)
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=email, name=name, created_at=now)
        except IntegrityError:
            # Someone signed the same address up at this very moment: treat it as known.
            subscriber = _locked(email)
        else:
            _mail_confirmation(subscriber, now=now)
            return SignupResult.CREATED

    if subscriber.is_active_subscriber:
        return SignupResult.ALREADY_CONFIRMED

    if subscriber.unsubscribed_at is not None or subscriber.confirmation_expired(now):
        if not _interval_passed(subscriber, now):
            # Unsubscribed a moment after a confirmation mail: wait out the interval.
            return SignupResult.THROTTLED
        _start_period(subscriber, name=name)
        _mail_confirmation(subscriber, now=now)
        return SignupResult.RESTARTED

    if not _may_mail_again(subscriber, now):
        return SignupResult.THROTTLED
    if name:
        subscriber.name = name
    _mail_confirmation(subscriber, now=now)
    return SignupResult.RESENT


def send_confirmation_mail(*, subscriber_id: int) -> None:
    """Queue the confirmation link in the outbox, with the sign-up's own transaction: one
    mail per confirmation mail counted (its key), retried by the outbox if the server fails."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.state != Subscriber.State.PENDING:
        return
    send_templated_mail(
        key=f"newsletter-confirm:{subscriber.pk}:{subscriber.confirmation_sent_at:%Y%m%dT%H%M%S.%f}",
        template="newsletter_confirm",
        subject=_("Bevestig je aanmelding voor de mailinglijst van %(site)s")
        % {"site": settings.SITE_NAME},
        to=[subscriber.email],
        context={
            "subscriber": subscriber,
            "confirm_url": confirm_url(subscriber),
            "valid_days": settings.NEWSLETTER_CONFIRM_DAYS,
        },
    )


def link_state(subscriber: Subscriber, now=None) -> LinkState:
    """What the confirmation link of `subscriber` can still do."""
    if subscriber.unsubscribed_at is not None:
        return LinkState.UNSUBSCRIBED
    if subscriber.confirmed_at is not None:
        return LinkState.CONFIRMED
    if subscriber.confirmation_expired(now):
        return LinkState.EXPIRED
    return LinkState.PENDING


def subscriber_for_confirm_token(token: str) -> Subscriber:
    """Raises Subscriber.DoesNotExist for a link that never was (or was replaced)."""
    return Subscriber.objects.get(confirm_token=token)


def subscriber_for_unsubscribe_token(token: str) -> Subscriber:
    return Subscriber.objects.get(unsubscribe_token=token)


@transaction.atomic
def confirm(*, token: str, now=None) -> LinkState:
    """Confirm the address behind `token` if its link is still valid; return its state.

    Raises Subscriber.DoesNotExist for an unknown token.
    """
    now = now or timezone.now()
    subscriber = Subscriber.objects.select_for_update().get(confirm_token=token)
    state = link_state(subscriber, now)
    if state is LinkState.PENDING:
        subscriber.confirmed_at = now
        subscriber.save(update_fields=["confirmed_at"])
        return LinkState.CONFIRMED
    return state


@transaction.atomic
def unsubscribe(*, token: str, now=None) -> Subscriber:
    """Take the address behind `token` off the list (again, if it already was).

    Raises Subscriber.DoesNotExist for an unknown token.
    """
    subscriber = Subscriber.objects.select_for_update().get(unsubscribe_token=token)
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = now or timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
    return subscriber
