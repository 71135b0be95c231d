"""Guest authors' way in: the editor's invitation, and a would-be guest's pitch."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import new_token


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
        verbose_name=_("geaccepteerd door"),
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
