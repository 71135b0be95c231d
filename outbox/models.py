"""The outbox: every mail the site sends, from the moment its event happened until it went out.

A `Mail` row is written in the same transaction as the event it tells about (a comment, a
workflow step, a go-live), so the two commit or roll back together; `outbox.tasks.deliver`
sends it from a task worker. `key` names the event, and is unique: one event, one mail.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(state__in=[Mail.State.QUEUED, Mail.State.SENDING])


class Mail(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        SENDING = "sending", _("wordt verstuurd")
        SENT = "sent", _("verstuurd")
        FAILED = "failed", _("mislukt")
        INTERRUPTED = "interrupted", _("onderbroken")

    key = models.CharField(_("gebeurtenis"), max_length=200, unique=True)
    template = models.CharField(_("soort"), max_length=100)
    subject = models.CharField(_("onderwerp"), max_length=300)
    to = models.JSONField(_("aan"), default=list)
    # The rendered message (text, HTML, headers, reply-to) until it went out; emptied once
    # sent, since links in it (password reset, invitations) must not outlive their use.
    message = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("status"), max_length=12, choices=State.choices,
                             default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)

    objects = MailQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("uitgaande e-mail")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self):
        return self.subject
