"""Who hears about what. Called after the transaction commits, never inside it.

Each function loads what it needs by id, so a mail always describes the committed state.
"""

import logging

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blog.models import Post, PostEvent
from core.mail import absolute_url, send_templated_mail

logger = logging.getLogger(__name__)


def editor_addresses() -> list[str]:
    users = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def local_when(moment) -> str:
    return date_format(timezone.localtime(moment), "l j F Y \\o\\m H:i")


def _post_context(post: Post) -> dict:
    return {
        "post": post,
        "author_name": post.author.display_name,
        "desk_url": absolute_url(reverse("desk:edit", kwargs={"pk": post.pk})),
        "admin_url": absolute_url(reverse("admin:blog_post_change", args=[post.pk])),
        "post_url": absolute_url(post.get_absolute_url()),
    }


def transition_happened(*, event_id: int) -> None:
    event = (
        PostEvent.objects.select_related("post__author__profile", "actor")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return
    post = event.post
    context = {**_post_context(post), "event": event, "note": event.note}
    if event.publish_at:
        context["when"] = local_when(event.publish_at)
    author_email = [post.author.email] if post.author.email else []

    if event.action == "submit":
        recipients = [a for a in editor_addresses() if a not in author_email]
        resubmitted = event.from_status == "changes_requested"
        subject = (
            _("Opnieuw ingediend: %(title)s") if resubmitted else _("Nieuw ingediend: %(title)s")
        ) % {"title": post.title}
        context["resubmitted"] = resubmitted
        if recipients:
            send_templated_mail(
                template="post_submitted", subject=subject, to=recipients, context=context
            )
        return

    if not author_email or event.actor_id == post.author_id:
        return  # the author did this themselves (or has no address)
    templates = {
        "request_changes": ("post_changes_requested",
                            _("Graag nog wat aanpassingen: %(title)s")),
        "approve": ("post_approved", _("Goedgekeurd en ingepland: %(title)s")),
        "reschedule": ("post_rescheduled", _("Nieuwe publicatiedatum: %(title)s")),
        "reject": ("post_rejected", _("Over je bericht: %(title)s")),
        "unpublish": ("post_unpublished", _("Je bericht is teruggezet naar concept: %(title)s")),
        "reopen": ("post_reopened", _("Je bericht is heropend: %(title)s")),
    }
    if event.action not in templates:
        return
    template, subject = templates[event.action]
    send_templated_mail(
        template=template,
        subject=subject % {"title": post.title},
        to=author_email,
        context=context,
    )


def post_went_live(*, post: Post) -> None:
    """The author hears that their post is online, with its link."""
    if not post.author.email:
        return
    send_templated_mail(
        template="post_live",
        subject=_("Je bericht staat online: %(title)s") % {"title": post.title},
        to=[post.author.email],
        context=_post_context(post),
    )
