"""Account pages at /account/: login, logout, password reset and change, the profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import (
    LoginForm,
    ProfileForm,
    WelzijnPasswordResetForm,
)
from accounts.models import AuthorProfile
from accounts.profiles import update_profile
from accounts.tasks import send_password_reset
from core.http import private_page
from core.ratelimit import rate_limit

BACKEND = settings.AUTHENTICATION_BACKENDS[0]


# Every attempt counts, right password or wrong, so one address cannot keep guessing.
@method_decorator(
    rate_limit(scope="login", rate="LOGIN_RATE_LIMIT", what=gettext_lazy("inlogpogingen")),
    name="post",
)
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Django's LoginView names the site after the request's host ("127.0.0.1:8101");
        # the page names the blog, like every other page.
        return {**super().get_context_data(**kwargs), "site_name": settings.SITE_NAME}

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


# Each request sends a mail: the limit keeps the form from flooding someone's inbox.
@method_decorator(
    rate_limit(scope="password-reset", rate="LOGIN_RATE_LIMIT",
               what=gettext_lazy("aanvragen voor een nieuw wachtwoord")),
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = WelzijnPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # The same work for every address (one task enqueued), so neither the answer nor the
        # time it takes tells whether the address has an account. The task sends the mail.
        send_password_reset.enqueue(email=form.cleaned_data["email"])
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"

    def get_success_url(self):
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def form_valid(self, form):
        messages.success(self.request, _("Je wachtwoord is gewijzigd."))
        return super().form_valid(form)


@private_page
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
