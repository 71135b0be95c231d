"""Mailing-list digest runs: what each `send_digest` run mailed, to whom, and how it went.

A run covers the posts whose `publish_at` falls in [window_start, window_end); the next
run starts where this one ended (its high-water mark). A post that turns up late in a
window already closed (its transaction committed just after a run looked) goes into the
next run; each post is in one run at most (a unique constraint). A run has one delivery per
recipient; `blog/digest.py` claims and finishes each delivery in its own transaction,
which is what lets several nodes share a run and a rerun finish a crashed one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestRun(models.Model):
    # Consecutive and unique: two nodes that open the next run at the same moment both try
    # to insert the same number, and the database lets only one of them.
    number = models.PositiveIntegerField(_("nummer"), unique=True)
    window_start = models.DateTimeField(_("berichten vanaf"))
    window_end = models.DateTimeField(_("berichten tot"))
    started_at = models.DateTimeField(_("gestart"))
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    posts = models.ManyToManyField(
        "blog.Post",
        through="DigestRunPost",
        related_name="digest_runs",
        blank=True,
        verbose_name=_("berichten"),
    )

    class Meta:
        verbose_name = _("digest-ronde")
        verbose_name_plural = _("digest-rondes")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_start__lt=models.F("window_end")),
                name="digest_run_window_not_empty",
            )
        ]

    def __str__(self):
        return str(_("Digest %(number)s")) % {"number": self.number}


class DigestRunPost(models.Model):
    """A post in a run. A post is in one run at most: it is mailed once, ever."""

    run = models.ForeignKey(DigestRun, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post"], name="digest_post_once")]

    def __str__(self):
        return f"{self.run_id}: {self.post_id}"


class DigestDelivery(models.Model):
    """One subscriber's mail in one run."""

    class State(models.TextChoices):
        PENDING = "pending", _("Nog te versturen")
        SENDING = "sending", _("Wordt verstuurd")
        SENT = "sent", _("Verstuurd")
        SKIPPED = "skipped", _("Overgeslagen")
        FAILED = "failed", _("Mislukt")
        # The sender died between taking the delivery and recording the result: the mail
        # may have gone out, so it is never sent again.
        INTERRUPTED = "interrupted", _("Onderbroken (misschien verstuurd)")

        @classmethod
        def open(cls) -> set[str]:
            return {cls.PENDING, cls.SENDING}

        @classmethod
        def failures(cls) -> set[str]:
            return {cls.FAILED, cls.INTERRUPTED}

    run = models.ForeignKey(DigestRun, on_delete=models.CASCADE, related_name="deliveries")
    # Kept (anonymous) when the subscriber is erased, so the run's figures stay true.
    subscriber = models.ForeignKey(
        "accounts.Subscriber",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digest_deliveries",
        verbose_name=_("abonnee"),
    )
    state = models.CharField(
        _("toestand"), max_length=12, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("verstuurd"), null=True, blank=True)
    post_count = models.PositiveSmallIntegerField(_("berichten"), default=0)
    error = models.CharField(_("foutmelding"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("digest-bezorging")
        verbose_name_plural = _("digest-bezorgingen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "subscriber"], name="digest_delivery_once_per_run"
            )
        ]
        indexes = [models.Index(fields=["run", "state"], name="digest_delivery_state_idx")]

    def __str__(self):
        return f"{self.run_id}: {self.subscriber_id} ({self.state})"
