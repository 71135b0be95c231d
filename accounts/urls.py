"""Login, logout, password reset and change, and the profile, at /account/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "herstel/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "herstel/klaar/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profiel/", views.profile, name="profile"),
]
