"""Mailing-list digest runs: what each `send_digest` run mailed, to whom, and how it went.

A run covers the posts whose `publish_at` falls in [window_start, window_end); the next
run starts where this one ended (its high-water mark). A post that turns up late in a
window already closed (its transaction committed just after a run looked) goes into the
next run; each post is in one run at most (a unique constraint). A run has one delivery per
recipient; `blog/digest.py` claims and finishes each delivery in its own transaction,
which is what lets several nodes share a run and a rerun finish a crashed one.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import new_token


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
        "newsletter.Subscriber",
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
