"""Joining: accepting an invitation (/uitnodiging/<token>/) and pitching a post (/schrijf-mee/).

Views stay thin: the forms clean, guests.invitations acts.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuthorProfile
from accounts.views import BACKEND
from core.antispam import client_ip, hash_value
from core.http import private_page
from core.ratelimit import rate_limit
from guests import invitations
from guests.forms import InvitationAcceptForm, PitchForm
from guests.invitations import InvitationError, Problem

# --- invitations -----------------------------------------------------------------------


@private_page
def invitation(request, token):
    """Accept an invitation: a new account, or link the account this address already has."""
    lookup = invitations.find_invitation(token)
    invite = lookup.invitation
    user = request.user if request.user.is_authenticated else None
    if not lookup.usable:
        if lookup.problem == Problem.USED and user and invite.accepted_by_id == user.pk:
            return redirect("desk:dashboard")
        return render(
            request,
            "guests/invitation_invalid.html",
            {"problem": lookup.problem, "invitation": invite},
            status=404 if lookup.problem == Problem.UNKNOWN else 410,
        )

    existing = invitations.account_for_email(invite.email)
    if user is not None and (existing is None or existing.pk != user.pk):
        return render(
            request, "guests/invitation_other_account.html", {"invitation": invite},
            status=403,
        )
    if existing is not None and user is None:
        login_url = f"{reverse('accounts:login')}?next={request.path}"
        return render(
            request, "guests/invitation_sign_in.html",
            {"invitation": invite, "login_url": login_url},
        )

    instance = getattr(user, "profile", None) if user else None
    if instance is None:
        instance = AuthorProfile(display_name=invite.name)
    kwargs = {"email": invite.email, "needs_password": user is None, "instance": instance}
    if request.method == "POST":
        form = InvitationAcceptForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            try:
                account = invitations.accept_invitation(
                    invitation=invite,
                    profile=form.profile_fields(),
                    password=form.cleaned_data.get("password1"),
                    user=user,
                    photo=form.cleaned_data.get("photo_upload"),
                )
            except (InvitationError, PermissionDenied) as exc:
                form.discard_stored_images()
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
                return redirect(request.path)
            if user is None:
                auth_login(request, account, backend=BACKEND)
            messages.success(
                request,
                _("Welkom bij %(site)s! Dit is je schrijftafel: hier schrijf je je bericht.")
                % {"site": settings.SITE_NAME},
            )
            return redirect("desk:dashboard")
    else:
        form = InvitationAcceptForm(**kwargs)
    return render(
        request, "guests/invitation_accept.html", {"form": form, "invitation": invite}
    )


# --- pitches ---------------------------------------------------------------------------


@rate_limit(scope="pitch", rate="PITCH_RATE_LIMIT", what=gettext_lazy("voorstellen"))
def pitch(request):
    if request.method == "POST":
        form = PitchForm(request.POST)
        if form.renew_expired_timestamp():
            # Left open for more than a day: back to the writer as typed, to send again.
            form.is_valid()
            form.add_error(None, _("Je voorstel is nog niet verstuurd: het formulier stond "
                                   "langer dan een dag open. Controleer het en klik nog "
                                   "een keer op “Voorstel versturen”."))
            return render(request, "guests/pitch_form.html", {"form": form})
        if form.is_bot():
            # The same answer a person gets, and nothing stored.
            return redirect("join:pitch-thanks")
        if form.is_valid():
            invitations.submit_pitch(
                fields=form.pitch_fields(),
                ip_hash=hash_value(client_ip(request), purpose="pitch"),
            )
            return redirect("join:pitch-thanks")
    else:
        form = PitchForm()
    return render(request, "guests/pitch_form.html", {"form": form})


def pitch_thanks(request):
    return render(request, "guests/pitch_thanks.html")

