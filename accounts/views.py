"""Account pages (/account/…) and joining (/uitnodiging/<token>/, /schrijf-mee/).

Views stay thin: the forms clean, accounts.invitations acts.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control

from accounts import invitations
from accounts.forms import (
    InvitationAcceptForm,
    LoginForm,
    PitchForm,
    ProfileForm,
    WelzijnPasswordResetForm,
)
from accounts.invitations import InvitationError, Problem
from accounts.models import AuthorProfile
from accounts.profiles import update_profile
from core.antispam import client_ip, hash_value, rate_limited

BACKEND = settings.AUTHENTICATION_BACKENDS[0]
private = cache_control(private=True, no_store=True)


def too_many_requests(request, *, what: str):
    return render(
        request, "accounts/too_many_requests.html", {"what": what}, status=429
    )


class RateLimitedPostMixin:
    """Counts every POST per client address in the shared cache; over the limit → 429."""

    rate_scope = ""
    rate_setting = ""
    rate_what = ""

    def post(self, request, *args, **kwargs):
        if rate_limited(request, scope=self.rate_scope, rate=getattr(settings, self.rate_setting)):
            return too_many_requests(request, what=self.rate_what)
        return super().post(request, *args, **kwargs)


class LoginView(RateLimitedPostMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    rate_scope, rate_setting = "login", "LOGIN_RATE_LIMIT"
    rate_what = gettext_lazy("inlogpogingen")

    def get_default_redirect_url(self):
        # Editors work in the admin; guests at their desk.
        if self.request.user.is_authenticated and self.request.user.is_editor:
            return reverse("admin:index")
        return reverse(settings.LOGIN_REDIRECT_URL)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Je bent uitgelogd."))
        return response


class PasswordResetView(RateLimitedPostMixin, auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = WelzijnPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    rate_scope, rate_setting = "password-reset", "LOGIN_RATE_LIMIT"
    rate_what = gettext_lazy("aanvragen voor een nieuw wachtwoord")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("desk:dashboard")

    def form_valid(self, form):
        messages.success(self.request, _("Je wachtwoord is gewijzigd."))
        return super().form_valid(form)


@private
@login_required
def profile(request):
    instance = AuthorProfile.objects.filter(user=request.user).first() or AuthorProfile(
        display_name=request.user.get_full_name()
    )
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=instance)
        if form.is_valid():
            update_profile(
                user=request.user,
                fields=form.profile_fields(),
                photo=form.cleaned_data.get("photo_upload"),
                remove_photo=form.cleaned_data.get("remove_photo", False),
            )
            messages.success(request, _("Je profiel is opgeslagen."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(instance=instance)
    return render(request, "accounts/profile_form.html", {"form": form, "profile": instance})


# --- invitations -----------------------------------------------------------------------


@private
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
            "accounts/invitation_invalid.html",
            {"problem": lookup.problem, "invitation": invite},
            status=404 if lookup.problem == Problem.UNKNOWN else 410,
        )

    existing = invitations.account_for_email(invite.email)
    if user is not None and (existing is None or existing.pk != user.pk):
        return render(
            request, "accounts/invitation_other_account.html", {"invitation": invite},
            status=403,
        )
    if existing is not None and user is None:
        login_url = f"{reverse('accounts:login')}?next={request.path}"
        return render(
            request, "accounts/invitation_sign_in.html",
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
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invite}
    )


# --- pitches ---------------------------------------------------------------------------


def pitch(request):
    if request.method == "POST":
        if rate_limited(request, scope="pitch", rate=settings.PITCH_RATE_LIMIT):
            return too_many_requests(request, what=_("voorstellen"))
        form = PitchForm(request.POST)
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
    return render(request, "accounts/pitch_form.html", {"form": form})


def pitch_thanks(request):
    return render(request, "accounts/pitch_thanks.html")

