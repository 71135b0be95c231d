"""Reader comments: plain text, threaded, moderated."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog import content


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Verwijderd")

    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="comments",
    )
    name = models.CharField(_("naam"), max_length=80)
    email = models.EmailField(_("e-mailadres"), max_length=254, blank=True)
    url = models.URLField(_("website"), max_length=200, blank=True)
    body = models.TextField(_("reactie"), max_length=5000)
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
        db_index=True,
    )
    is_author_reply = models.BooleanField(_("reactie van de auteur"), default=False)
    created_at = models.DateTimeField(_("geplaatst"), default=timezone.now, db_index=True)
    # What moderation needs, and no more: keyed hashes, not addresses (see README).
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    email_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    notify_replies = models.BooleanField(_("e-mail mij bij reacties"), default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "status", "created_at"], name="comment_post_idx")]

    def __str__(self):
        return f"{self.name}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        self.body_html = content.plain_text_to_html(self.body)
        super().save(*args, **kwargs)
