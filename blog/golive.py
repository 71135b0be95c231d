"""What happens once when a post goes live, exactly once, on any number of nodes.

Visibility is computed (`Post.objects.live()`), so nothing has to run for a post to
appear. What must happen once at go-live — telling the author, and whatever later features
hang on the `on_go_live` registry — is done by `python manage.py go_live`, run every minute
from cron on every node.

Each post is handled in its own transaction: the post row is claimed (on PostgreSQL with
`SELECT … FOR UPDATE SKIP LOCKED`, so concurrent runs share the work instead of queueing; on
SQLite by a conditional UPDATE that only one run can win), marked `announced_at`, a "live"
event is added to its timeline, the hooks run, and then it commits. A run that dies half-way
leaves the posts it finished committed and the others untouched: the next run takes over
exactly where it stopped. The README's "Cron" section explains what exactly-once means
around SMTP.
"""

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from blog import notifications
from blog.models import Post, PostEvent

logger = logging.getLogger(__name__)

Hook = Callable[[Post], None]
_sequence = itertools.count()
_hooks: list[tuple[int, int, Hook]] = []


def on_go_live(func: Hook | None = None, *, order: int = 100):
    """Register `func(post)` to run once when a post goes live (usable as a decorator).

    Hooks run inside the post's transaction, lowest `order` first (then in the order
    they were registered). A hook that raises rolls
    the post back: it stays unannounced and is tried again on the next run, so a hook must
    not mind being repeated after a failure of a later hook. Put mail last (high order).
    """

    def register(f: Hook) -> Hook:
        unregister(f)  # registering the same function again only moves it
        _hooks.append((order, next(_sequence), f))
        _hooks.sort(key=lambda h: (h[0], h[1]))
        return f

    return register(func) if func is not None else register


def unregister(func: Hook) -> None:
    _hooks[:] = [h for h in _hooks if h[2] is not func]


def hooks() -> list[Hook]:
    return [h[2] for h in _hooks]


@on_go_live(order=1000)
def tell_the_author(post: Post) -> None:
    """"Your post is live", with its link. Last: nothing after it can undo the sending."""
    notifications.post_went_live(post=post)


def pending(now: datetime | None = None):
    """Live posts whose go-live has not been handled yet."""
    return Post.objects.live(now).filter(announced_at__isnull=True)


@dataclass
class Result:
    announced: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def _announce(post: Post, now: datetime) -> None:
    """Inside the claiming transaction: mark, record, run the hooks."""
    post.announced_at = now
    Post.objects.filter(pk=post.pk).update(announced_at=now)
    PostEvent.objects.create(
        post=post, kind=PostEvent.Kind.LIVE, action="live", from_status=post.status,
        to_status=post.status, publish_at=post.publish_at, created_at=now,
    )
    for hook in hooks():
        hook(post)


def _load(pk: int) -> Post:
    return Post.objects.select_related("author__profile").get(pk=pk)


def _claim_locked(now: datetime, skip: set[int]) -> Post | None:
    """PostgreSQL: lock the oldest unhandled live post no other run holds."""
    row = (
        pending(now)
        .exclude(pk__in=skip)
        .order_by("publish_at", "pk")
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
        .first()
    )
    return _load(row) if row is not None else None


def _claim_by_update(pk: int, now: datetime) -> Post | None:
    """Without SKIP LOCKED: a conditional UPDATE as the transaction's first write wins once."""
    won = pending(now).filter(pk=pk).update(announced_at=now)
    return _load(pk) if won else None


def run(*, now: datetime | None = None) -> Result:
    result = Result()
    skip_locked = connection.features.has_select_for_update_skip_locked
    candidates = None if skip_locked else list(
        pending(now).order_by("publish_at", "pk").values_list("pk", flat=True)
    )
    while True:
        moment = now or timezone.now()
        pk = None
        try:
            with transaction.atomic():
                if skip_locked:
                    post = _claim_locked(moment, set(result.failed))
                    if post is None:
                        break
                else:
                    if not candidates:
                        break
                    pk = candidates.pop(0)
                    post = _claim_by_update(pk, moment)
                    if post is None:
                        continue  # another run handled it, or it is no longer live
                pk = post.pk
                _announce(post, moment)
        except Exception as exc:  # one post's failure must not stop the others
            if pk is None:
                raise
            logger.exception("go_live: post %s failed; it will be tried again", pk)
            result.failed[pk] = str(exc)
            continue
        result.announced.append(pk)
        logger.info("go_live: post %s announced", pk)
    return result
