"""This browser's two signed cookies: the comments it placed, and the author's reply link.

Read by the comment views and by the comments block under a post, so they live here and
not in views.py: a template tag must not import a view module.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from comments.models import Comment

MINE_COOKIE = "welzijn_reacties"
MINE_SALT = "welzijn.comments.mine"
MINE_MAX = 20
MINE_MAX_AGE = 30 * 86400
AUTHOR_COOKIE = "welzijn_auteurlink"
AUTHOR_SALT = "welzijn.comments.author-link"
AUTHOR_MAX_AGE = 2 * 86400


def own_comment_ids(request: HttpRequest) -> list[int]:
    """The ids of comments this browser placed (shown to it while they await approval)."""
    raw = request.get_signed_cookie(MINE_COOKIE, default="", salt=MINE_SALT,
                                    max_age=MINE_MAX_AGE)
    return [int(part) for part in raw.split(",") if part.isdigit()][-MINE_MAX:]


def remember_own(request: HttpRequest, response: HttpResponse, comment: Comment) -> None:
    """Add `comment` to this browser's own comments (the newest MINE_MAX are kept)."""
    ids = [i for i in own_comment_ids(request) if i != comment.pk] + [comment.pk]
    response.set_signed_cookie(
        MINE_COOKIE, ",".join(map(str, ids[-MINE_MAX:])), salt=MINE_SALT,
        max_age=MINE_MAX_AGE, httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def set_author_link(response: HttpResponse, comment: Comment, token: str) -> None:
    """Remember the post author's one-time link until they have used it to reply."""
    response.set_signed_cookie(
        AUTHOR_COOKIE, f"{comment.pk}:{token}", salt=AUTHOR_SALT, max_age=AUTHOR_MAX_AGE,
        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )


def author_link(request: HttpRequest) -> tuple[int, str] | None:
    """(comment id, token) from the author's one-time link, if this browser followed one."""
    raw = request.get_signed_cookie(AUTHOR_COOKIE, default="", salt=AUTHOR_SALT,
                                    max_age=AUTHOR_MAX_AGE)
    comment_id, _sep, token = raw.partition(":")
    if not comment_id.isdigit() or not token:
        return None
    return int(comment_id), token


def forget_author_link(response: HttpResponse) -> None:
    response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")
