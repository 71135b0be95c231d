"""go_live: what must happen once at go-live happens exactly once, never early, on any node."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from blog import golive
from blog.models import Post, PostEvent
from blog.signals import post_went_live
from guests.notifications import tell_the_author_it_is_live
from tests.factories import GuestFactory, LivePostFactory, ScheduledPostFactory


def due(n=1, **kwargs):
    """Posts that are live but whose go-live has not been handled (as after approval)."""
    posts = []
    for i in range(n):
        author = GuestFactory(email=f"auteur{i}-{time.monotonic_ns()}@example.org")
        publish_at = timezone.now() - timedelta(minutes=5 + i)
        posts.append(LivePostFactory(author=author, publish_at=publish_at, announced_at=None,
                                     **kwargs))
    return posts


def go_live():
    """The cron command; its mails leave through tasks once each post's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("go_live")


def run():
    with TestCase.captureOnCommitCallbacks(execute=True):
        return golive.run()


def live_mails(outbox):
    return [m for m in outbox if m.subject.startswith("Je bericht staat online")]


@pytest.fixture
def extra_hook():
    """Connect `func(post)` to `post_went_live` for one test, before the author's mail (a
    receiver that sends mail is connected last); disconnected afterwards."""
    registered = []

    def register(func):
        def receiver(sender, *, post, **kwargs):
            func(post)

        post_went_live.disconnect(tell_the_author_it_is_live, sender=Post,
                                  dispatch_uid="guests.tell_the_author_it_is_live")
        post_went_live.connect(receiver, sender=Post, weak=False)
        post_went_live.connect(tell_the_author_it_is_live, sender=Post,
                               dispatch_uid="guests.tell_the_author_it_is_live")
        registered.append(receiver)
        return func

    yield register
    for receiver in registered:
        post_went_live.disconnect(receiver, sender=Post)


@pytest.mark.django_db
def test_live_post_is_announced_once_with_its_link(mailoutbox):
    (post,) = due(1, title="Sociaal media is booming")
    go_live()
    post.refresh_from_db()
    assert post.announced_at is not None
    (mail,) = live_mails(mailoutbox)
    assert mail.to == [post.author.email]
    assert "Sociaal media is booming" in mail.subject
    assert "https://welzijn.test" + post.get_absolute_url() in mail.body
    assert post.events.get().kind == PostEvent.Kind.LIVE

    go_live()
    go_live()
    assert len(live_mails(mailoutbox)) == 1
    assert post.events.count() == 1


@pytest.mark.django_db
def test_nothing_for_posts_not_yet_live(mailoutbox):
    scheduled = ScheduledPostFactory(publish_at=timezone.now() + timedelta(minutes=1))
    already = LivePostFactory()  # announced long ago
    go_live()
    assert mailoutbox == []
    scheduled.refresh_from_db()
    assert scheduled.announced_at is None
    assert not PostEvent.objects.filter(post__in=[scheduled, already]).exists()


@pytest.mark.django_db
def test_a_scheduled_post_is_announced_after_its_moment_not_before(mailoutbox):
    import time_machine

    post = ScheduledPostFactory(publish_at=timezone.now() + timedelta(hours=2))
    go_live()
    assert mailoutbox == []
    with time_machine.travel(post.publish_at + timedelta(seconds=30), tick=False):
        go_live()
    assert len(live_mails(mailoutbox)) == 1


class Crash(BaseException):
    """Stands in for the process dying (kill -9, OOM): not an Exception, nothing catches it."""


@pytest.mark.django_db
def test_a_crash_half_way_loses_and_repeats_nothing(mailoutbox, extra_hook):
    posts = due(5)
    seen = []

    def crash_on_third(post):
        seen.append(post.pk)
        if len(seen) == 3:
            raise Crash

    extra_hook(crash_on_third)
    with pytest.raises(Crash):
        run()
    announced = set(Post.objects.filter(announced_at__isnull=False).values_list("pk", flat=True))
    assert len(announced) == 2  # the two before the crash are committed…
    assert len(live_mails(mailoutbox)) == 2  # …with their mails; the third rolled back

    seen.append("crashed already")  # the third call is over: no more crashes
    go_live()
    mails = live_mails(mailoutbox)
    assert sorted(m.to[0] for m in mails) == sorted(p.author.email for p in posts)
    assert PostEvent.objects.filter(kind=PostEvent.Kind.LIVE).count() == 5


@pytest.mark.django_db
def test_a_failing_post_does_not_stop_the_others_and_is_retried(mailoutbox, extra_hook):
    first, second = due(2)
    broken = {first.pk}

    def flaky(post):
        if post.pk in broken:
            raise RuntimeError("SMTP-server weg")

    extra_hook(flaky)
    with pytest.raises(CommandError, match=str(first.pk)):
        go_live()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.announced_at is None and second.announced_at is not None
    assert [m.to for m in live_mails(mailoutbox)] == [[second.author.email]]

    broken.clear()
    go_live()
    assert sorted(m.to[0] for m in live_mails(mailoutbox)) == sorted(
        [first.author.email, second.author.email])


@pytest.mark.django_db
def test_a_receivers_writes_share_the_posts_fate(extra_hook, mailoutbox):
    """What a receiver writes commits with its post, or rolls back with it."""
    (post,) = due(1)
    failing = [True]

    def note_then_maybe_fail(post):
        PostEvent.objects.create(post=post, kind=PostEvent.Kind.EDIT, note="van een ontvanger")
        if failing[0]:
            raise RuntimeError("een latere ontvanger faalt")

    extra_hook(note_then_maybe_fail)
    result = run()
    assert list(result.failed) == [post.pk]
    assert not PostEvent.objects.filter(note="van een ontvanger").exists()

    failing[0] = False
    run()
    assert PostEvent.objects.filter(post=post, note="van een ontvanger").count() == 1
    post.refresh_from_db()
    assert post.announced_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_exactly_one_mail_per_post(mailoutbox, extra_hook):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent runs need a real server with row locks (SKIP LOCKED); "
                    "SQLite serialises all writers, run this suite with DATABASE_URL=postgres://…")
    posts = due(8)
    ScheduledPostFactory()  # not live: never announced
    # A slow hook keeps each post's row locked for a while, so the runs really overlap.
    extra_hook(lambda post: time.sleep(0.1))
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def runner(name):
        try:
            barrier.wait()
            results[name] = golive.run()
        except Exception as exc:  # pragma: no cover - surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    a, b = set(results["a"].announced), set(results["b"].announced)
    assert a.isdisjoint(b)
    assert a | b == {p.pk for p in posts}
    assert a and b, "both runs should have shared the work"
    mails = live_mails(mailoutbox)
    assert sorted(m.to[0] for m in mails) == sorted(p.author.email for p in posts)
    assert PostEvent.objects.filter(kind=PostEvent.Kind.LIVE).count() == 8


@pytest.mark.django_db(transaction=True)
def test_a_post_share_locked_by_a_concurrent_insert_is_not_skipped(mailoutbox):
    """A plain FOR UPDATE SKIP LOCKED skipped a due post while another transaction held
    KEY SHARE on its row, as the foreign-key check of an uncommitted insert does, and the
    run exited 0 having done nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (KEY SHARE, SKIP LOCKED) need PostgreSQL: run this suite "
                    "with DATABASE_URL=postgres://…")
    (post,) = due(1)
    inserted, release = threading.Event(), threading.Event()
    errors = []

    def insert_referencing_the_post():
        from django.db import transaction

        try:
            with transaction.atomic():
                PostEvent.objects.create(post_id=post.pk, kind=PostEvent.Kind.EDIT,
                                         note="tegelijk bewerkt")
                # Django's foreign keys are checked at commit (DEFERRABLE INITIALLY
                # DEFERRED); run the check now, as the commit would: it holds FOR KEY SHARE
                # on the post's row until this transaction ends.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                inserted.set()
                release.wait(30)
        except Exception as exc:  # pragma: no cover - surfaced below
            errors.append(exc)
        finally:
            connection.close()

    other = threading.Thread(target=insert_referencing_the_post)
    other.start()
    try:
        assert inserted.wait(30)
        result = golive.run()
    finally:
        release.set()
        other.join(30)
    assert not errors
    assert result.announced == [post.pk]
    post.refresh_from_db()
    assert post.announced_at is not None
    assert len(live_mails(mailoutbox)) == 1
