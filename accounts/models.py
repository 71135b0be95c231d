"""People: users, their public author profiles, invitations, pitches and newsletter subscribers.

This is the lowest app: it imports nothing from `trends` or `blog`. Links upward (the trend
or series an invitation is for) are lazy foreign keys by name.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class User(AbstractUser):
    """A person who can log in. Editors are staff; guest authors never are."""

    email = models.EmailField(_("e-mailadres"), blank=True)

    objects = UserManager()

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
        if profile is not None and profile.display_name:
            return profile.display_name
        return self.get_full_name() or self.username


def unique_slug(model, value: str, *, field: str = "slug", instance_pk=None, max_length=100) -> str:
    """A slug for `value` that no other row of `model` uses yet (adds -2, -3, …)."""
    base = slugify(value)[: max_length - 6].strip("-") or "x"
    candidate, n = base, 2
    others = model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    while others.filter(**{field: candidate}).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate


class AuthorProfile(models.Model):
    """The public face of a writer: shown in the author box and on /auteurs/<slug>/."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    bio = models.TextField(_("over jezelf"), blank=True, max_length=2000)
    # Rendered and sanitised on save by blog.content (blog listens: accounts may not import it).
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
        if not self.slug:
            self.slug = unique_slug(AuthorProfile, self.display_name, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:author", kwargs={"slug": self.slug})

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


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """The editor's invitation to write: a one-time link that expires."""

    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=120, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    message = models.TextField(_("persoonlijke boodschap"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("uitgenodigd door"),
    )
    trend = models.ForeignKey(
        "trends.Trend",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("trend"),
    )
    series = models.ForeignKey(
        "blog.Series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("reeks"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    expires_at = models.DateTimeField(_("verloopt"), default=invitation_expiry)
    sent_at = models.DateTimeField(_("verstuurd"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("geaccepteerd"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def is_usable(self, now=None) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired(now)

    @property
    def state_label(self) -> str:
        if self.accepted_at:
            return _("Geaccepteerd")
        if self.revoked_at:
            return _("Ingetrokken")
        if self.is_expired():
            return _("Verlopen")
        return _("Open")

    def get_absolute_url(self):
        return reverse("join:invitation", kwargs={"token": self.token})


class Pitch(models.Model):
    """A would-be guest's proposal from /schrijf-mee/."""

    class Status(models.TextChoices):
        NEW = "new", _("Nieuw")
        INVITED = "invited", _("Uitgenodigd")
        DECLINED = "declined", _("Afgewezen")

    name = models.CharField(_("naam"), max_length=120)
    email = models.EmailField(_("e-mailadres"))
    trend = models.ForeignKey(
        "trends.Trend",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pitches",
        verbose_name=_("trend"),
    )
    topic = models.CharField(_("onderwerp"), max_length=200, blank=True)
    pitch = models.TextField(_("voorstel"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("ontvangen"), default=timezone.now)
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="pitch"
    )
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("voorstel")
        verbose_name_plural = _("voorstellen")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}: {self.topic or self.trend or ''}"


class SubscriberQuerySet(models.QuerySet):
    """The three states of an address, defined once (the digest and the admin use these)."""

    def active(self):
        """Confirmed and not unsubscribed: the only addresses that receive posts."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def pending(self):
        return self.filter(confirmed_at__isnull=True, unsubscribed_at__isnull=True)

    def unsubscribed(self):
        return self.filter(unsubscribed_at__isnull=False)

    def in_state(self, state: str):
        return {
            Subscriber.State.PENDING: self.pending,
            Subscriber.State.CONFIRMED: self.active,
            Subscriber.State.UNSUBSCRIBED: self.unsubscribed,
        }[state]()

    def state_counts(self) -> dict[str, int]:
        """{state: number of addresses}, in one query."""
        confirmed = models.Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
        pending = models.Q(confirmed_at__isnull=True, unsubscribed_at__isnull=True)
        counts = self.aggregate(
            pending=models.Count("pk", filter=pending),
            confirmed=models.Count("pk", filter=confirmed),
            unsubscribed=models.Count("pk", filter=models.Q(unsubscribed_at__isnull=False)),
        )
        return {Subscriber.State(key): value for key, value in counts.items()}


class Subscriber(models.Model):
    """A mailing-list address. Receives digests only once confirmed and not unsubscribed.

    The state is computed from the timestamps (see `state`); `accounts/newsletter.py` is
    the only code that changes them. Addresses are stored lower-cased.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Wacht op bevestiging")
        CONFIRMED = "confirmed", _("Bevestigd")
        UNSUBSCRIBED = "unsubscribed", _("Afgemeld")

    email = models.EmailField(_("e-mailadres"), unique=True)
    name = models.CharField(_("naam"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("aangemeld"), default=timezone.now)
    confirm_token = models.CharField(max_length=64, unique=True, default=new_token)
    confirmation_sent_at = models.DateTimeField(
        _("bevestigingsmail verstuurd"), null=True, blank=True
    )
    # Confirmation mails sent since the current confirmation period began: capped, so the
    # sign-up form cannot be used to flood someone's mailbox.
    confirmation_mails = models.PositiveSmallIntegerField(default=0, editable=False)
    confirmed_at = models.DateTimeField(_("bevestigd"), null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token)
    unsubscribed_at = models.DateTimeField(_("afgemeld"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonnee")
        verbose_name_plural = _("abonnees")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    @property
    def is_active_subscriber(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    @property
    def state(self) -> "Subscriber.State":
        if self.unsubscribed_at is not None:
            return self.State.UNSUBSCRIBED
        if self.confirmed_at is not None:
            return self.State.CONFIRMED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return str(self.state.label)

    def confirmation_expires_at(self):
        if self.confirmation_sent_at is None:
            return None
        return self.confirmation_sent_at + timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS)

    def confirmation_expired(self, now=None) -> bool:
        expires = self.confirmation_expires_at()
        return expires is None or expires <= (now or timezone.now())
