"""What an author hears about their post, with a link to their writing desk.

`blog` tells (`blog.signals`); this module listens, connected in `GuestsConfig.ready()`.
Every mail is queued in the outbox inside the event's own transaction (a workflow step, a
go-live), so it commits with the event and is sent by a task worker, once per event (its
key). The "online" mail is queued with robust=False: if it cannot be queued, the go-live
rolls back and the next run tries again.
"""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Post
from blog.notifications import load_event, local_when
from blog.signals import post_transitioned, post_went_live
from core.http import absolute_url
from outbox.mail import send_templated_mail

TRANSITION_MAILS = {
    "request_changes": ("post_changes_requested", gettext_lazy("Graag nog wat aanpassingen: %(title)s")),
    "approve": ("post_approved", gettext_lazy("Goedgekeurd en ingepland: %(title)s")),
    "reschedule": ("post_rescheduled", gettext_lazy("Nieuwe publicatiedatum: %(title)s")),
    "reject": ("post_rejected", gettext_lazy("Over je bericht: %(title)s")),
    "unpublish": ("post_unpublished", gettext_lazy("Je bericht is teruggezet naar concept: %(title)s")),
    "reopen": ("post_reopened", gettext_lazy("Je bericht is heropend: %(title)s")),
}


def post_context(post: Post) -> dict:
    return {
        "post": post,
        "author_name": post.author.display_name,
        "desk_url": absolute_url(reverse("desk:edit", kwargs={"pk": post.pk})),
        "post_url": absolute_url(post.get_absolute_url()),
    }


@receiver(post_transitioned, sender=Post, dispatch_uid="guests.tell_the_author")
def tell_the_author(sender, *, event_id: int, **kwargs) -> None:
    event = load_event(event_id)
    if event is None or event.action not in TRANSITION_MAILS:
        return
    post = event.post
    if not post.author.email or event.actor_id == post.author_id:
        return  # the author did this themselves (or has no address)
    template, subject = TRANSITION_MAILS[event.action]
    context = {**post_context(post), "event": event, "note": event.note}
    if event.publish_at:
        context["when"] = local_when(event.publish_at)
    send_templated_mail(
        key=f"post-event:{event.pk}:author",
        template=template,
        subject=str(subject) % {"title": post.title},
        to=[post.author.email],
        context=context,
    )


@receiver(post_went_live, sender=Post, dispatch_uid="guests.tell_the_author_it_is_live")
def tell_the_author_it_is_live(sender, *, post: Post, **kwargs) -> None:
    """"Your post is online", with its link."""
    if not post.author.email:
        return
    send_templated_mail(
        key=f"post-live:{post.pk}:{post.announced_at:%Y%m%dT%H%M%S.%f}",
        robust=False,
        template="post_live",
        subject=_("Je bericht staat online: %(title)s") % {"title": post.title},
        to=[post.author.email],
        context=post_context(post),
    )
