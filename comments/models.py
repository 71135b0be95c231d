"""Reader comments: plain text, threaded, moderated.

The moderation rules, the state changes and the e-mails live in `blog/comments.py`; this
module only stores facts and derives fields from the comment's own fields on save.
"""

import hashlib
import secrets
from collections.abc import Collection

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import content
from core.antispam import hash_value

EMAIL_HASH_PURPOSE = "comment-email"
IP_HASH_PURPOSE = "comment-ip"


def email_hash(email: str) -> str:
    """The keyed hash that identifies a commenter's address (case-insensitive)."""
    return hash_value(email, purpose=EMAIL_HASH_PURPOSE) if email.strip() else ""


def token_digest(token: str) -> str:
    """What we store of a one-time token: a leaked database does not hand out the link."""
    return hashlib.sha256(token.encode()).hexdigest()


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def visible_to(self, user, own_ids: Collection[int] = frozenset()):
        """The comments this person may see under a post.

        Approved ones for everyone. Held ones for editors, who moderate them (not spam:
        that has its own queue in the admin). And the comments this browser placed itself
        (`own_ids`, from its signed cookie) while they wait, spam included: to its writer
        a false positive must look like any comment awaiting approval.
        """
        Status = Comment.Status
        visible = Q(status=Status.APPROVED)
        if own_ids:
            visible |= Q(pk__in=own_ids, status__in=[Status.PENDING, Status.SPAM])
        if user is not None and user.is_authenticated and user.is_editor:
            visible |= Q(status=Status.PENDING)
        return self.filter(visible)

    def public(self):
        """Approved comments on live posts: what the feed and the post pages may show."""
        from blog.models import Post

        return self.approved().filter(post__in=Post.objects.live())


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op goedkeuring")
    APPROVED = "approved", _("Goedgekeurd")
    SPAM = "spam", _("Spam")
    REMOVED = "removed", _("Verwijderd")


# The moderation queue's first sort key: held comments before all others.
QUEUE_ORDER = models.Case(
    models.When(status=CommentStatus.PENDING, then=models.Value(0)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)


class Comment(models.Model):
    Status = CommentStatus

    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, related_name="comments",
        verbose_name=_("bericht"), db_index=False,  # comment_post_time_idx starts with it
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies",
        verbose_name=_("reactie op"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="comments", verbose_name=_("account"),
    )
    name = models.CharField(_("naam"), max_length=80)
    email = models.EmailField(_("e-mailadres"), max_length=254, blank=True)
    url = models.URLField(_("website"), max_length=200, blank=True)
    body = models.TextField(_("reactie"), max_length=5000)
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
    )
    is_author_reply = models.BooleanField(_("reactie van de auteur"), default=False)
    created_at = models.DateTimeField(_("geplaatst"), default=timezone.now)
    # What moderation needs, and no more: keyed hashes, not addresses (see README).
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    email_hash = models.CharField(max_length=64, blank=True, editable=False)
    notify_replies = models.BooleanField(_("e-mail mij bij reacties"), default=False)
    # The post author's one-time "answer as the author" link (only its digest is stored).
    author_token_digest = models.CharField(
        max_length=64, blank=True, editable=False, db_index=True
    )
    moderated_at = models.DateTimeField(_("beoordeeld"), null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("beoordeeld door"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]
        # Every list of comments is read from an index in its own order, so a page costs
        # the same with 1,000 comments as with 1,000,000.
        indexes = [
            # A post's comments block, newest page first.
            models.Index(fields=["post", "created_at", "id"], name="comment_post_time_idx"),
            # How many approved comments a post has.
            models.Index(fields=["post", "status", "created_at"], name="comment_post_idx"),
            # The comments feed and the dashboard's count of held comments.
            models.Index(fields=["status", "created_at", "id"], name="comment_status_idx"),
            # The moderation queue's order (held first, newest first): comments/admin.py.
            models.Index(QUEUE_ORDER, models.F("created_at").desc(), models.F("id").desc(),
                         name="comment_queue_idx"),
            # "Approved before from this address" and the commenter's history in the queue.
            models.Index(fields=["email_hash", "status"], name="comment_address_idx"),
        ]

    def __str__(self):
        return f"{self.name}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        self.render_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"body_html", "email_hash"}
        super().save(*args, **kwargs)

    def render_text(self) -> None:
        """Derived only from the comment's own fields: the sanitised HTML and the address
        hash. save() calls it; a bulk import calls it before bulk_create."""
        self.body_html = content.plain_text_to_html(self.body)
        self.email_hash = email_hash(self.email)

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#reactie-{self.pk}"

    @property
    def website(self) -> str:
        """The commenter's site, only when it is a web address (the form allows no other)."""
        url = (self.url or "").strip()
        return url if url.lower().startswith(("http://", "https://")) else ""

    @property
    def is_by_editor(self) -> bool:
        if not self.user_id or self.is_author_reply:
            return False
        staff = self.__dict__.get("user_is_staff")  # annotated by the comments block's query
        return bool(self.user.is_staff if staff is None else staff)

    def new_author_token(self) -> str:
        """A fresh one-time link token for the post's author; stores only its digest."""
        token = secrets.token_urlsafe(32)
        self.author_token_digest = token_digest(token)
        return token


class ReplyAddress(models.Model):
    """An address whose owner confirmed by link that they want e-mail about replies.

    Only the keyed hash of the address is kept here; the address itself is on the comments
    that asked for reply e-mails, and those are what the mails go to.
    """

    email_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(_("bevestigd"), default=timezone.now)

    class Meta:
        verbose_name = _("bevestigd adres voor reactiemails")
        verbose_name_plural = _("bevestigde adressen voor reactiemails")

    def __str__(self):
        return self.email_hash[:12]
