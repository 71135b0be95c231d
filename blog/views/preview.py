"""Previews: a post exactly as readers will see it, before it is live.

`/schrijven/<id>/voorbeeld/` (the author, at the desk) and the signed link
`/voorbeeld/<token>/` that works for anyone holding it until the text changes or the link
expires (blog.preview). Both render the reader's template with a banner, noindex and
`Cache-Control: private, no-store`.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from blog import preview as tokens
from blog.models import Post
from core.http import absolute_url, private_page


def render_preview(request, post: Post, *, share: bool = False, status: int = 200):
    """The reader's page for `post`; callers are `private_page` views (the desk, the link)."""
    now = timezone.now()
    context = {
        "post": post,
        "object": post,
        "is_preview": True,
        "preview_label": post.status_label(now),
        "preview_is_live": post.is_live_at(now),
        "preview_unscheduled": post.publish_at is None,
        "share_url": absolute_url(tokens.preview_url(post)) if share else "",
        "share_days": settings.PREVIEW_LINK_MAX_AGE // 86400,
    }
    if post.publish_at is None:
        # Shown with today's date, as it would be if it went live now; never saved.
        post.publish_at = now
    return render(request, "desk/preview.html", context, status=status)


@private_page
def signed_preview(request, token):
    post = tokens.post_for_token(token)
    if post is None:
        return render(request, "desk/preview_invalid.html", status=404)
    return render_preview(request, post)
