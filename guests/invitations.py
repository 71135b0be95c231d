"""How a guest author comes aboard: invitations and pitches.

Keyword-only domain functions, each atomic; e-mails are queued in the outbox inside the same
transaction (they commit with the step and a task worker sends them). Views and the admin
only call these.

- `create_invitation` / `send_invitation` / `resend_invitation` / `revoke_invitation`
- `find_invitation(token)` tells the acceptance page what it is looking at (open, used,
  expired, revoked or unknown) without ever raising.
- `accept_invitation` makes the account (or links an existing one with the same address),
  fills the profile and marks the invitation used, all in one transaction.
- `submit_pitch`, `invite_from_pitch`, `decline_pitch` for /schrijf-mee/ and its admin.

`Pitch.status` changes only through `Pitch.objects.filter(pk=…).update(…)`.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import TextChoices
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.profiles import update_profile
from core.http import absolute_url
from core.images import StoredImage
from core.slugs import free_value
from guests.models import Invitation, Pitch
from outbox.mail import send_templated_mail


class InvitationError(ValidationError):
    """The invitation or pitch cannot take this step (used, expired, decided…)."""


class Problem(TextChoices):
    """Why a token cannot be used; the acceptance page explains each."""

    UNKNOWN = "unknown", gettext_lazy("Onbekende uitnodiging")
    USED = "used", gettext_lazy("Uitnodiging al gebruikt")
    EXPIRED = "expired", gettext_lazy("Uitnodiging verlopen")
    REVOKED = "revoked", gettext_lazy("Uitnodiging ingetrokken")


@dataclass(frozen=True)
class Lookup:
    invitation: Invitation | None
    problem: str = ""

    @property
    def usable(self) -> bool:
        return self.invitation is not None and not self.problem


def account_for_email(email: str):
    """The one account that has this address (case-insensitive, as the database enforces)."""
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email.strip()).first()


def _require_editor(actor) -> None:
    if actor is None or not getattr(actor, "is_editor", False):
        raise PermissionDenied(_("Alleen de redactie kan dit doen."))


def _problem(invitation: Invitation, now=None) -> str:
    if invitation.accepted_at:
        return Problem.USED
    if invitation.revoked_at:
        return Problem.REVOKED
    if invitation.is_expired(now):
        return Problem.EXPIRED
    return ""


def find_invitation(token: str) -> Lookup:
    invitation = (
        Invitation.objects.select_related("trend__trend_list", "series", "invited_by__profile")
        .filter(token=token)
        .first()
        if token
        else None
    )
    if invitation is None:
        return Lookup(None, Problem.UNKNOWN)
    return Lookup(invitation, _problem(invitation))


# --- invitations -----------------------------------------------------------------------


def _mail_invitation(invitation_id: int) -> None:
    invitation = (
        Invitation.objects.select_related("trend__trend_list", "series", "invited_by__profile")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or _problem(invitation):
        return
    inviter = invitation.invited_by.display_name if invitation.invited_by else _("De redactie")
    now = timezone.now()
    send_templated_mail(
        key=f"invitation:{invitation.pk}:{now:%Y%m%dT%H%M%S.%f}",
        template="invitation",
        subject=_("Uitnodiging: schrijf een gastblog voor %(site)s") % {"site": settings.SITE_NAME},
        to=[invitation.email],
        context={
            "invitation": invitation,
            "inviter": inviter,
            "accept_url": absolute_url(invitation.get_absolute_url()),
            "expires": date_format(timezone.localtime(invitation.expires_at), "j F Y H:i"),
        },
        reply_to=[invitation.invited_by.email]
        if invitation.invited_by and invitation.invited_by.email
        else None,
    )
    Invitation.objects.filter(pk=invitation_id).update(sent_at=now)


def send_invitation(*, invitation: Invitation) -> None:
    """Queue the link in the outbox; it commits (and goes out) with the caller's transaction."""
    _mail_invitation(invitation.pk)


@transaction.atomic
def create_invitation(
    *,
    email: str,
    invited_by,
    name: str = "",
    message: str = "",
    trend=None,
    series=None,
    send: bool = True,
) -> Invitation:
    _require_editor(invited_by)
    email = (email or "").strip()
    if not email:
        raise InvitationError(_("Vul een e-mailadres in."), code="email")
    invitation = Invitation.objects.create(
        email=email,
        name=(name or "").strip(),
        message=(message or "").strip(),
        invited_by=invited_by,
        trend=trend,
        series=series,
    )
    if send:
        send_invitation(invitation=invitation)
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, actor) -> Invitation:
    """Send the same link again; an expired invitation gets a fresh expiry first."""
    _require_editor(actor)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = _problem(locked)
    if problem in (Problem.USED, Problem.REVOKED):
        raise InvitationError(
            _("Deze uitnodiging is al %(state)s en kan niet opnieuw worden verstuurd.")
            % {"state": locked.state_label.lower()},
            code=problem,
        )
    now = timezone.now()
    if locked.expires_at < now + timedelta(days=1):
        locked.expires_at = now + timedelta(days=settings.INVITATION_VALID_DAYS)
        locked.save(update_fields=["expires_at"])
    send_invitation(invitation=locked)
    invitation.expires_at = locked.expires_at
    return locked


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor) -> Invitation:
    _require_editor(actor)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at:
        raise InvitationError(_("Deze uitnodiging is al geaccepteerd."), code=Problem.USED)
    if not locked.revoked_at:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    invitation.revoked_at = locked.revoked_at
    return locked


def unique_username(email: str) -> str:
    """A username nobody has yet, from the address's local part (people log in by e-mail)."""
    base = slugify(email.split("@")[0])[:140] or "gast"
    return free_value(get_user_model().objects.all(), "username", base, ignore_case=True)


@transaction.atomic
def accept_invitation(
    *,
    invitation: Invitation,
    profile: dict,
    password: str | None = None,
    user=None,
    photo: StoredImage | None = None,
):
    """Use the invitation: a new account with `password`, or link the signed-in `user`.

    An address that already has an account is always linked, never duplicated: without
    `user` that case is refused, and the page asks the person to sign in first.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = _problem(locked)
    if problem:
        raise InvitationError(Problem(problem).label, code=problem)
    existing = account_for_email(locked.email)
    if user is None:
        if existing is not None:
            raise InvitationError(
                _("Er is al een account met dit e-mailadres. Log in om de uitnodiging te "
                  "accepteren."),
                code="account_exists",
            )
        if not password:
            raise InvitationError(_("Kies een wachtwoord."), code="password")
        user = get_user_model()(
            username=unique_username(locked.email),
            email=locked.email,
            is_staff=False,
        )
        user.set_password(password)
        user.save()
    elif existing is None or existing.pk != user.pk:
        raise PermissionDenied(_("Deze uitnodiging is voor een ander e-mailadres."))

    if profile or photo is not None:
        update_profile(user=user, fields=profile, photo=photo)
    now = timezone.now()
    locked.accepted_at, locked.accepted_by = now, user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    invitation.accepted_at, invitation.accepted_by = now, user
    return user


def latest_accepted(user) -> Invitation | None:
    """The invitation this person most recently accepted (for trend and series)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Invitation.objects.select_related("trend__trend_list", "series")
        .filter(accepted_by=user)
        .order_by("-accepted_at")
        .first()
    )


# --- pitches ---------------------------------------------------------------------------


def _mail_pitch_received(pitch_id: int) -> None:
    pitch = Pitch.objects.select_related("trend__trend_list").filter(pk=pitch_id).first()
    recipients = get_user_model().objects.editors().mail_addresses()
    if pitch is None or not recipients:
        return
    send_templated_mail(
        key=f"pitch:{pitch.pk}:received",
        template="pitch_received",
        subject=_("Nieuw voorstel voor een gastblog van %(name)s") % {"name": pitch.name},
        to=recipients,
        context={
            "pitch": pitch,
            "admin_url": absolute_url(reverse("admin:guests_pitch_change", args=[pitch.pk])),
        },
        reply_to=[pitch.email],
    )


@transaction.atomic
def submit_pitch(*, fields: dict, ip_hash: str = "") -> Pitch:
    pitch = Pitch.objects.create(ip_hash=ip_hash, **fields)
    _mail_pitch_received(pitch.pk)
    return pitch


def _lock_new_pitch(pitch: Pitch) -> Pitch:
    locked = Pitch.objects.select_for_update().get(pk=pitch.pk)
    if locked.status != Pitch.Status.NEW:
        raise InvitationError(
            _("Over dit voorstel is al besloten (%(state)s).")
            % {"state": locked.get_status_display().lower()},
            code="decided",
        )
    return locked


def invitation_message_for(pitch: Pitch) -> str:
    """The invitation's message: a short welcome with the pitch quoted in full."""
    return render_to_string("emails/pitch_invitation_message.txt", {"pitch": pitch}).strip()


@transaction.atomic
def invite_from_pitch(*, pitch: Pitch, actor, send: bool = True) -> Invitation:
    """One click: an invitation for the pitch's author, the pitch text carried over."""
    _require_editor(actor)
    locked = _lock_new_pitch(pitch)
    invitation = create_invitation(
        email=locked.email,
        name=locked.name,
        message=invitation_message_for(locked),
        trend=locked.trend,
        invited_by=actor,
        send=send,
    )
    Pitch.objects.filter(pk=locked.pk).update(
        status=Pitch.Status.INVITED, decided_at=timezone.now(), invitation=invitation
    )
    return invitation


def decline_mail_draft(pitch: Pitch) -> tuple[str, str]:
    """The kind default text the editor may rework before sending."""
    subject = _("Je voorstel voor %(site)s") % {"site": settings.SITE_NAME}
    body = render_to_string(
        "emails/pitch_declined_draft.txt", {"pitch": pitch, "site_name": settings.SITE_NAME}
    ).strip()
    return subject, body


@transaction.atomic
def decline_pitch(*, pitch: Pitch, actor, subject: str, body: str) -> Pitch:
    """Decline with the editor's own words; the mail is queued with the decision."""
    _require_editor(actor)
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    if not subject or not body:
        raise InvitationError(_("Een onderwerp en een tekst zijn nodig."), code="mail")
    locked = _lock_new_pitch(pitch)
    Pitch.objects.filter(pk=locked.pk).update(
        status=Pitch.Status.DECLINED, decided_at=timezone.now()
    )
    send_templated_mail(
        key=f"pitch:{locked.pk}:declined",
        template="pitch_declined",
        subject=subject,
        to=[locked.email],
        context={"body": body},
        reply_to=[actor.email] if actor.email else None,
    )
    locked.refresh_from_db()
    return locked
