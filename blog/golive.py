"""What happens once when a post goes live, exactly once, on any number of nodes.

Visibility is computed (`Post.objects.live()`), so nothing has to run for a post to
appear. What must happen once at go-live — telling the author, and whatever else listens to
`blog.signals.post_went_live` — is done by `python manage.py go_live`, run every minute from
cron on every node.

Each post is handled in its own transaction: the post row is claimed (on PostgreSQL with
`SELECT … FOR NO KEY UPDATE SKIP LOCKED`, so concurrent runs share the work instead of
queueing, and a row only share-locked by a concurrent insert is not skipped; on SQLite by a conditional UPDATE that only one run can win), marked `announced_at`, a "live"
event is added to its timeline, `post_went_live` is sent, and then it commits. A run that dies half-way
leaves the posts it finished committed and the others untouched: the next run takes over
exactly where it stopped. The README's "Cron" section explains what exactly-once means
around SMTP.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from blog.models import Post, PostEvent
from blog.signals import post_went_live

logger = logging.getLogger(__name__)

def pending(now: datetime | None = None):
    """Live posts whose go-live has not been handled yet."""
    return Post.objects.live(now).filter(announced_at__isnull=True)


@dataclass
class Result:
    announced: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def _announce(post: Post, now: datetime) -> None:
    """Inside the claiming transaction: mark, record, tell the receivers."""
    post.announced_at = now
    Post.objects.filter(pk=post.pk).update(announced_at=now)
    PostEvent.objects.create(
        post=post, kind=PostEvent.Kind.LIVE, action="live", from_status=post.status,
        to_status=post.status, publish_at=post.publish_at, created_at=now,
    )
    post_went_live.send(sender=Post, post=post)


def _load(pk: int) -> Post:
    return Post.objects.select_related("author__profile").get(pk=pk)


def _claim_locked(now: datetime, skip: set[int]) -> Post | None:
    """PostgreSQL: lock the oldest unhandled live post no other run holds."""
    row = (
        pending(now)
        .exclude(pk__in=skip)
        .order_by("publish_at", "pk")
        # NO KEY UPDATE: a plain FOR UPDATE would skip a row that a concurrent insert
        # referencing it (a comment, an event) holds with KEY SHARE, and the post would
        # silently wait for a later run. We never change the key, so this lock is enough.
        .select_for_update(skip_locked=True, no_key=True, of=("self",))
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
