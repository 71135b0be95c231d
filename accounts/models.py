"""People: users and their public author profiles.

The lowest app but `core`: it knows nothing of trends, posts or guests. What other apps
hang on a user (posts, invitations, comments) they reach through reverse relations.
"""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.content import plain_text_to_html
from core.slugs import unique_slug


def new_token() -> str:
    return secrets.token_urlsafe(32)


class UserQuerySet(models.QuerySet):
    def editors(self):
        """The editorial team: active staff. Guests are never staff."""
        return self.filter(is_staff=True, is_active=True)

    def mail_addresses(self) -> list[str]:
        """Each address once, sorted: who gets a mail meant for everyone in this set."""
        return sorted(set(self.exclude(email="").values_list("email", flat=True)))


class WelzijnUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who can log in. Editors are staff; guest authors never are."""

    email = models.EmailField(_("e-mailadres"), blank=True)

    objects = WelzijnUserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
            )
        ]

    @property
    def is_editor(self) -> bool:
        return self.is_active and self.is_staff

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        return self.name_for(profile_name=profile.display_name if profile is not None else "",
                             first_name=self.first_name, last_name=self.last_name,
                             username=self.username)

    @staticmethod
    def name_for(*, profile_name: str | None, first_name: str, last_name: str,
                 username: str) -> str:
        """`display_name` from the columns (for a list read with `values()`): the profile's
        name, else the full name, else the username."""
        return profile_name or f"{first_name} {last_name}".strip() or username


class AuthorProfile(models.Model):
    """The public face of a writer: shown in the author box and on /auteurs/<slug>/."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    bio = models.TextField(_("over jezelf"), blank=True, max_length=2000)
    # Rendered and sanitised on save (core.content): templates show only this field.
    bio_html = models.TextField(blank=True, editable=False)
    photo = models.ImageField(_("foto"), max_length=255, blank=True)
    photo_renditions = models.JSONField(default=dict, blank=True)
    organisation = models.CharField(_("organisatie"), max_length=120, blank=True)
    role = models.CharField(_("functie"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=300)
    linkedin = models.CharField(_("LinkedIn"), max_length=100, blank=True)
    twitter = models.CharField(_("Twitter/X"), max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("auteursprofiel")
        verbose_name_plural = _("auteursprofielen")
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.bio_html = plain_text_to_html(self.bio)
        if not self.slug:
            self.slug = unique_slug(AuthorProfile, self.display_name, instance_pk=self.pk)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"bio_html", "slug"}
        super().save(*args, **kwargs)

    def photo_url(self, width: int = 400) -> str:
        """The smallest stored rendition at least `width` wide (or the largest there is)."""
        if not self.photo_renditions:
            return self.photo.url if self.photo else ""
        widths = sorted(int(w) for w in self.photo_renditions)
        chosen = next((w for w in widths if w >= width), widths[-1])
        return self.photo.storage.url(self.photo_renditions[str(chosen)])

    @property
    def linkedin_url(self) -> str:
        handle = self.linkedin.strip().strip("/")
        if not handle:
            return ""
        if handle.startswith(("http://", "https://")):
            return handle
        return f"https://www.linkedin.com/in/{handle}/"

    @property
    def twitter_url(self) -> str:
        handle = self.twitter.strip().lstrip("@")
        return f"https://x.com/{handle}" if handle else ""
