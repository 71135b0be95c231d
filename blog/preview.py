"""Signed, expiring preview links (/voorbeeld/<token>/) for people without an account.

The token names the post and its content version, so it stops working as soon as the text
changes, and it expires after PREVIEW_LINK_MAX_AGE seconds.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from blog.models import Post

_SALT = "welzijn.blog.preview"


def make_token(post: Post) -> str:
    return signing.dumps({"post": post.pk, "version": post.version}, salt=_SALT, compress=True)


def preview_url(post: Post) -> str:
    return reverse("preview:post", kwargs={"token": make_token(post)})


def post_for_token(token: str) -> Post | None:
    """The post behind a valid token, or None (bad, expired, or the text changed since)."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.PREVIEW_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    post = (
        Post.objects.for_reading()
        .filter(pk=data.get("post"), version=data.get("version"))
        .first()
    )
    return post
