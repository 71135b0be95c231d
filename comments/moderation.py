"""Reader comments: placing one under the moderation rules, moderating, and who hears of it.

The moderation rules, in the order they are applied:

1. a comment by an editor, or by the post's author (logged in, or through the one-time link
   in their new-comment e-mail), is approved;
2. a word from COMMENT_BLOCKLIST in the name, address, website or text sends it to spam;
3. more than COMMENT_MAX_LINKS links in the text hold it for moderation, and so does a shared
   cache that is down (the rate limit could only be counted on this node);
4. an address (or account) with an approved comment before is approved;
5. anything else, such as the first comment from an address, is held.

Every state change is a function here, atomic, with its e-mails queued in the outbox inside
the same transaction: they commit with the comment and are sent by a task worker, so a mail
server that is down never turns a placed comment into an error page, and a comment that
rolls back leaves no mail. E-mail functions load what they need by id; queueing is robust
(a failure is logged, the comment stands).
"""

import logging
import re
import unicodedata
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Post
from comments.models import IP_HASH_PURPOSE, Comment, ReplyAddress, email_hash, token_digest
from core import content, pagecache
from core.antispam import hash_value
from core.http import absolute_url
from outbox.mail import send_templated_mail

logger = logging.getLogger(__name__)

Status = Comment.Status

AUTHOR_LINK_DAYS = 30
CONFIRM_LINK_DAYS = 14
_CONFIRM_SALT = "welzijn.comments.confirm-replies"
_UNSUBSCRIBE_SALT = "welzijn.comments.unsubscribe"

# Characters that change how text reads without being visible: bidi overrides and isolates
# (they can make "moc.elpmaxe" read as "example.com") and zero-width characters.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


class CommentRefused(ValidationError):
    """The comment cannot be placed: comments are closed, or the reply has no valid parent."""


# --- the rules ----------------------------------------------------------------------------

def normalise_for_matching(text: str) -> str:
    """Text as a filter should read it: compatibility forms folded, invisible characters gone."""
    text = unicodedata.normalize("NFKC", text or "")
    return text.translate(BIDI_CONTROLS).translate(ZERO_WIDTH).casefold()


def blocklisted(*texts: str) -> bool:
    """True when a blocked word stands as a word ("casino", not the "cialis" in specialist)."""
    haystack = normalise_for_matching(" ".join(texts))
    for word in settings.COMMENT_BLOCKLIST:
        needle = normalise_for_matching(word).strip()
        if needle and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack):
            return True
    return False


def link_count(body: str) -> int:
    """The links readers would see: counted on the rendered text, as it will be shown."""
    return content.plain_text_to_html(body).count("<a ")


def _is_editor(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_editor)


def has_approved_before(*, address_hash: str, user=None) -> bool:
    match = Q(email_hash=address_hash) if address_hash else Q(pk__in=[])
    if user is not None and user.is_authenticated:
        match |= Q(user=user)
    return Comment.objects.approved().filter(match).exists()


def moderation_status(*, name: str, email: str, url: str, body: str, user=None,
                      as_author: bool = False, hold: bool = False) -> str:
    """The status a new comment gets (see the module docstring for the rules); `hold` keeps
    anything that is not spam for the editor (the rate limit could not be checked)."""
    if as_author or _is_editor(user):
        return Status.APPROVED
    if blocklisted(name, email, url, body):
        return Status.SPAM
    if hold or link_count(body) > settings.COMMENT_MAX_LINKS:
        return Status.PENDING
    if has_approved_before(address_hash=email_hash(email), user=user):
        return Status.APPROVED
    return Status.PENDING


# --- placing a comment --------------------------------------------------------------------

def comment_for_author_token(token: str, *, now=None) -> Comment | None:
    """The comment a one-time author link answers, if the link is unused and not expired."""
    if not token:
        return None
    now = now or timezone.now()
    return (
        Comment.objects.select_related("post__author__profile")
        .filter(
            author_token_digest=token_digest(token),
            created_at__gte=now - timedelta(days=AUTHOR_LINK_DAYS),
        )
        .exclude(status__in=[Status.SPAM, Status.REMOVED])
        .first()
    )


@transaction.atomic
def post_comment(
    *,
    post: Post,
    name: str,
    email: str,
    body: str,
    url: str = "",
    parent_id: int | None = None,
    user=None,
    notify_replies: bool = False,
    ip: str = "",
    author_token: str = "",
    hold: bool = False,
    now=None,
) -> Comment:
    """Place a reader's comment under the moderation rules; e-mails go after the commit.

    Raises CommentRefused when the post takes no comments (not live, or closed) or when the
    parent is not an approved comment on this post, and when an author link is spent.
    `hold=True` (the shared rate limit could not be checked) holds it for moderation.
    """
    now = now or timezone.now()
    if not Post.objects.live(now).filter(pk=post.pk).exists():
        raise CommentRefused(_("Bij dit bericht kun je niet reageren."), code="not_live")
    if not post.comments_open(now):
        raise CommentRefused(_("De reacties bij dit bericht zijn gesloten."), code="closed")
    if user is not None and not user.is_authenticated:
        user = None

    parent = None
    if parent_id:
        parent = Comment.objects.approved().filter(pk=parent_id, post_id=post.pk).first()
        if parent is None:
            raise CommentRefused(
                _("De reactie waarop je wilt antwoorden bestaat niet (meer) of is nog niet "
                  "goedgekeurd. Je kunt wel een nieuwe reactie plaatsen."),
                code="bad_parent",
            )

    as_author = user is not None and user.pk == post.author_id
    if author_token:
        # One-time: the conditional update succeeds for exactly one request.
        spent = Comment.objects.filter(
            pk=parent.pk if parent else None,
            author_token_digest=token_digest(author_token),
            created_at__gte=now - timedelta(days=AUTHOR_LINK_DAYS),
        ).update(author_token_digest="")
        if not spent:
            raise CommentRefused(
                _("Deze link om als auteur te antwoorden is al gebruikt of verlopen. "
                  "Log in om te antwoorden."),
                code="author_link",
            )
        as_author, user = True, post.author
    if as_author:
        author = post.author
        name = author.display_name
        email = author.email or email

    status = moderation_status(name=name, email=email, url=url, body=body, user=user,
                               as_author=as_author, hold=hold)
    comment = Comment(
        post=post,
        parent=parent,
        user=user,
        name=name,
        email=email,
        url=url,
        body=body,
        status=status,
        is_author_reply=as_author,
        notify_replies=notify_replies and bool(email),
        ip_hash=hash_value(ip, purpose=IP_HASH_PURPOSE) if ip else "",
        created_at=now,
    )
    new_author_token = ""
    if not as_author and status != Status.SPAM and post.author.email:
        new_author_token = comment.new_author_token()
    comment.save()

    if status != Status.SPAM:
        notify_new_comment(comment_id=comment.pk, author_token=new_author_token)
    if status == Status.APPROVED and parent is not None:
        notify_reply(comment_id=comment.pk)
    if comment.notify_replies and status != Status.SPAM and not address_confirmed(comment):
        send_reply_confirmation(comment_id=comment.pk)
    return comment


# --- moderation ---------------------------------------------------------------------------

def _ids(comments: Iterable[Comment] | Iterable[int]) -> list[int]:
    return [c if isinstance(c, int) else c.pk for c in comments]


@transaction.atomic
def approve(*, comments, actor) -> int:
    """Approve these comments; replies that become visible tell the parent's commenter."""
    ids = list(
        Comment.objects.filter(pk__in=_ids(comments)).exclude(status=Status.APPROVED)
        .values_list("pk", flat=True)
    )
    Comment.objects.filter(pk__in=ids).update(
        status=Status.APPROVED, moderated_at=timezone.now(), moderated_by=actor
    )
    if ids:
        pagecache.changed()
    for reply_id in Comment.objects.filter(pk__in=ids, parent__isnull=False).values_list(
        "pk", flat=True
    ):
        notify_reply(comment_id=reply_id)
    return len(ids)


@transaction.atomic
def mark_spam(*, comments, actor) -> int:
    return _set_hidden(comments, Status.SPAM, actor)


@transaction.atomic
def remove(*, comments, actor) -> int:
    return _set_hidden(comments, Status.REMOVED, actor)


def _set_hidden(comments, status: str, actor) -> int:
    # A hidden comment's one-time author link dies with it.
    hidden = Comment.objects.filter(pk__in=_ids(comments)).exclude(status=status).update(
        status=status, moderated_at=timezone.now(), moderated_by=actor, author_token_digest=""
    )
    if hidden:
        pagecache.changed()
    return hidden


# One click on one comment: the admin's list and change page, and the post page for an editor.
ONE_CLICK = {
    "approve": approve,
    "spam": mark_spam,
    "remove": remove,
    "reply": approve,  # answering a held comment approves it first (a reply needs a visible parent)
}


ONE_CLICK_LABELS = {
    "approve": gettext_lazy("Goedkeuren"),
    "spam": gettext_lazy("Spam"),
    "remove": gettext_lazy("Verwijderen"),
    "reply": gettext_lazy("Antwoorden"),
}
# Which steps a comment is offered, by its status.
OFFERED = {
    Status.PENDING: ("approve", "spam", "reply"),
    Status.APPROVED: ("spam", "reply"),
    Status.SPAM: ("approve",),
    Status.REMOVED: ("approve",),
}


def one_click_steps(comment: Comment, url=None) -> list[dict]:
    """The one-click steps for this comment now: name, label and the URL to POST to.

    `url(pk, step)` makes the URL when a list has reversed it once for all its rows.
    """
    if url is None:
        def url(pk, step):
            return reverse("admin:comments_comment_moderate", args=[pk, step])
    return [
        {"name": name, "label": ONE_CLICK_LABELS[name], "url": url(comment.pk, name)}
        for name in OFFERED.get(comment.status, ())
    ]


def moderate_one(*, comment: Comment, action: str, actor) -> bool:
    """Run one moderation step on one comment; editors only. True when its status changed.

    "reply" approves a held comment so the editor can answer it; a comment marked as spam or
    removed is not answered (approve it first).
    """
    if not _is_editor(actor):
        raise PermissionDenied(_("Alleen de redactie beoordeelt reacties."))
    if action not in ONE_CLICK:
        raise ValueError(f"unknown moderation step: {action}")
    if action == "reply" and comment.status in (Status.SPAM, Status.REMOVED):
        raise CommentRefused(
            _("Op een reactie die als spam is gemarkeerd of verwijderd is, kun je niet "
              "antwoorden. Keur haar eerst goed."), code="hidden")
    return bool(ONE_CLICK[action](comments=[comment.pk], actor=actor))


# --- reply e-mails: opt-in confirmed by link, one-click unsubscribe -----------------------

def address_confirmed(comment: Comment) -> bool:
    return bool(comment.email_hash) and ReplyAddress.objects.filter(
        email_hash=comment.email_hash
    ).exists()


def confirm_token(comment: Comment) -> str:
    return signing.dumps({"c": comment.pk, "e": comment.email_hash[:20]}, salt=_CONFIRM_SALT)


def comment_for_confirm_token(token: str) -> Comment | None:
    try:
        data = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    comment = Comment.objects.select_related("post").filter(pk=data.get("c")).first()
    if comment is None or not data.get("e") or comment.email_hash[:20] != data["e"]:
        return None  # the comment is gone, or its address was changed since
    return comment


@transaction.atomic
def confirm_reply_address(comment: Comment) -> None:
    """The commenter proved the address is theirs: replies to it may be e-mailed."""
    ReplyAddress.objects.get_or_create(email_hash=comment.email_hash)
    Comment.objects.filter(pk=comment.pk).update(notify_replies=True)


def unsubscribe_token(comment: Comment) -> str:
    return signing.dumps({"c": comment.pk}, salt=_UNSUBSCRIBE_SALT)


def comment_for_unsubscribe_token(token: str) -> Comment | None:
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Comment.objects.select_related("post").filter(pk=data.get("c")).first()


def set_reply_mails(comment: Comment, *, wanted: bool) -> None:
    Comment.objects.filter(pk=comment.pk).update(notify_replies=wanted)
    comment.notify_replies = wanted


# --- e-mails (queued in the outbox, in the caller's transaction) --------------------------

def notify_new_comment(*, comment_id: int, author_token: str = "") -> None:
    """The post's author and the editors hear of a new comment (approved or held)."""
    comment = (
        Comment.objects.select_related("post__author__profile", "parent").filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.status in (Status.SPAM, Status.REMOVED):
        return
    post = comment.post
    author = post.author
    commenter = comment.email.strip().lower()
    held = comment.status != Status.APPROVED
    context = {
        "comment": comment,
        "post": post,
        "held": held,
        "comment_url": absolute_url(comment.get_absolute_url()),
        "post_url": absolute_url(post.get_absolute_url()),
        "moderate_url": absolute_url(
            reverse("admin:comments_comment_changelist") + "?status__exact=pending"
        ),
        "change_url": absolute_url(reverse("admin:comments_comment_change", args=[comment.pk])),
    }
    subject = (
        _("Reactie wacht op goedkeuring: %(title)s") if held
        else _("Nieuwe reactie bij “%(title)s”")
    ) % {"title": post.title}

    author_email = (author.email or "").strip().lower()
    if author_email and author_email != commenter and not comment.is_author_reply:
        reply_url = ""
        if author_token:
            reply_url = absolute_url(
                reverse("comments:author-reply", kwargs={"token": author_token})
            )
        send_templated_mail(
            key=f"comment:{comment.pk}:new:author",
            template="comment_new",
            subject=subject,
            to=[author.email],
            context={**context, "to_author": True, "is_editor": author.is_editor,
                     "reply_url": reply_url, "author_link_days": AUTHOR_LINK_DAYS},
        )
    editors = [
        address for address in get_user_model().objects.editors().mail_addresses()
        if address.lower() not in {commenter, author_email}
    ]
    if editors:
        send_templated_mail(
            key=f"comment:{comment.pk}:new:editors",
            template="comment_new",
            subject=subject,
            to=editors,
            context={**context, "to_author": False, "is_editor": True},
        )


def notify_reply(*, comment_id: int) -> None:
    """The parent's commenter hears of an approved reply, if they asked and confirmed."""
    reply = (
        Comment.objects.select_related("parent", "post").filter(pk=comment_id).first()
    )
    if reply is None or reply.status != Status.APPROVED or reply.parent is None:
        return
    parent = reply.parent
    if not (parent.notify_replies and parent.email and parent.email_hash):
        return
    if parent.email_hash == reply.email_hash or parent.is_author_reply:
        return  # nobody needs a mail about their own reply; the author has their own mail
    if not address_confirmed(parent) or not reply.post.is_live:
        return
    unsubscribe_url = absolute_url(
        reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(parent)})
    )
    send_templated_mail(
        key=f"comment:{reply.pk}:reply",
        template="comment_reply",
        subject=_("%(name)s reageerde op je reactie bij “%(title)s”")
        % {"name": reply.name, "title": reply.post.title},
        to=[parent.email],
        context={
            "reply": reply,
            "parent": parent,
            "post": reply.post,
            "reply_url": absolute_url(reply.get_absolute_url()),
            "unsubscribe_url": unsubscribe_url,
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_reply_confirmation(*, comment_id: int) -> None:
    """Ask the commenter to confirm by link that they want e-mail about replies."""
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is None or not comment.email or address_confirmed(comment):
        return
    send_templated_mail(
        key=f"comment:{comment.pk}:confirm",
        template="comment_confirm",
        subject=_("Bevestig je e-mailadres voor reacties op %(site)s")
        % {"site": settings.SITE_NAME},
        to=[comment.email],
        context={
            "comment": comment,
            "post": comment.post,
            "confirm_url": absolute_url(
                reverse("comments:confirm", kwargs={"token": confirm_token(comment)})
            ),
            "confirm_days": CONFIRM_LINK_DAYS,
        },
    )
