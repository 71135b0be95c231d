"""send_digest on several nodes at once, against a real PostgreSQL server.

Each worker is a thread with its own database connection, so the row locks, SKIP LOCKED
and the unique run number are exercised exactly as between two cron jobs on two nodes.
"""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connections
from django.utils import timezone

from newsletter import digest
from newsletter.models import DigestDelivery, DigestRun
from tests.factories import LivePostFactory, SubscriberFactory

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="needs PostgreSQL: SQLite has no row locks (SELECT … FOR UPDATE SKIP LOCKED) "
        "and takes one writer at a time, so concurrent runs cannot be tested on it",
    ),
    pytest.mark.django_db(transaction=True),
]


class SlowBackend(LocmemBackend):
    """A mail server that takes a moment per mail, so the workers overlap."""

    def send_messages(self, messages):
        time.sleep(0.005)
        return super().send_messages(messages)


def in_parallel(job, workers=2):
    """Run `job` in `workers` threads that start at the same moment; return their results."""
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(job())
        except BaseException as exc:  # noqa: BLE001 (reported below, in the test's thread)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_two_runs_at_once_send_every_subscriber_each_post_exactly_once(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.test_digest_concurrency.SlowBackend"
    subscribers = SubscriberFactory.create_batch(40)
    posts = [
        LivePostFactory(title=f"Gastblog {n}", publish_at=timezone.now() - timedelta(hours=n))
        for n in (1, 2)
    ]

    reports = in_parallel(digest.send_digest)

    per_address = Counter(message.to[0] for message in mailoutbox)
    assert per_address == Counter({s.email: 1 for s in subscribers})
    for message in mailoutbox:
        assert all(message.body.count(post.title) == 1 for post in posts)
    assert DigestRun.objects.count() == 1
    run = DigestRun.objects.get()
    assert run.finished_at is not None
    assert run.deliveries.filter(state=DigestDelivery.State.SENT).count() == 40
    assert sum(report.sent for worker in reports for report in worker) == 40


def test_many_runs_at_once_while_posts_keep_going_live_still_send_each_post_once(
    settings, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.test_digest_concurrency.SlowBackend"
    subscribers = SubscriberFactory.create_batch(12)
    LivePostFactory(title="Gastblog 0", publish_at=timezone.now() - timedelta(hours=1))

    def cron_on_a_node():
        for round_ in range(1, 4):
            digest.send_digest()
            # "Publish now": live from this moment, committed a moment later.
            LivePostFactory(title=f"Gastblog {round_}-{threading.get_ident()}",
                            publish_at=timezone.now())

    in_parallel(cron_on_a_node, workers=3)
    digest.send_digest()  # what the last rounds published

    titles = set(DigestRun.posts.through.objects.values_list("post__title", flat=True))
    assert len(titles) == 10  # every post went into a run, and into one run only
    received = Counter(
        (message.to[0], line)
        for message in mailoutbox
        for line in message.body.splitlines()
        if line.startswith("Gastblog ")
    )
    assert received == Counter({(s.email, title): 1 for s in subscribers for title in titles})
    assert not DigestDelivery.objects.filter(state__in=DigestDelivery.State.open()).exists()


def test_two_nodes_opening_the_next_run_at_once_open_it_once(settings):
    SubscriberFactory.create_batch(3)
    LivePostFactory(publish_at=timezone.now() - timedelta(hours=1))

    opened = in_parallel(digest.open_run, workers=4)

    assert len([run for run in opened if run is not None]) == 1
    assert DigestRun.objects.count() == 1
    assert DigestDelivery.objects.count() == 3
