"""What the editors hear about posts: a post was submitted. Queued with the step (outbox).

What the author hears (feedback, a date, "your post is online") comes from `guests`, which
listens to `blog.signals`: those mails point at the author's writing desk.
"""

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blog.models import Post, PostEvent
from blog.signals import post_transitioned
from core.http import absolute_url
from outbox.mail import send_templated_mail


def local_when(moment) -> str:
    return date_format(timezone.localtime(moment), "l j F Y \\o\\m H:i")


def load_event(event_id: int) -> PostEvent | None:
    """The committed event with its post and author, or None if it was rolled back."""
    return (
        PostEvent.objects.select_related("post__author__profile", "actor")
        .filter(pk=event_id)
        .first()
    )


@receiver(post_transitioned, sender=Post, dispatch_uid="blog.tell_the_editors")
def tell_the_editors(sender, *, event_id: int, **kwargs) -> None:
    event = load_event(event_id)
    if event is None or event.action != "submit":
        return
    post = event.post
    author_email = [post.author.email] if post.author.email else []
    recipients = [
        a for a in get_user_model().objects.editors().mail_addresses() if a not in author_email
    ]
    if not recipients:
        return
    resubmitted = event.from_status == "changes_requested"
    subject = (
        _("Opnieuw ingediend: %(title)s") if resubmitted else _("Nieuw ingediend: %(title)s")
    ) % {"title": post.title}
    send_templated_mail(
        key=f"post-event:{event.pk}:editors",
        template="post_submitted",
        subject=subject,
        to=recipients,
        context={
            "post": post,
            "author_name": post.author.display_name,
            "admin_url": absolute_url(reverse("admin:blog_post_change", args=[post.pk])),
            "resubmitted": resubmitted,
        },
    )
