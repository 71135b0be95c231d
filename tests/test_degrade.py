"""Redis down or frozen: the site degrades, it never fails (core.cache, core.ratelimit).

Before, a Redis that refused connections gave HTTP 500 on login, comments and the newsletter
sign-up, and the reader's comment was lost; a frozen Redis made a login hang. Now pages
serve, a comment is stored (held for moderation, since the rate limit could only be counted
on this node), sign-ups and logins work, and the outage is logged once.
"""

import logging
import signal

import pytest
from django.urls import reverse

from comments.models import Comment
from core import cache as resilient
from newsletter.models import Subscriber
from tests.comment_helpers import comment_url, human_form
from tests.factories import PASSWORD, CommentFactory, LivePostFactory
from tests.servers import RedisServer, redis_port

pytestmark = pytest.mark.django_db

OUTAGE_LOGGED = "Redis does not answer"


@pytest.fixture
def fresh_breaker(monkeypatch):
    monkeypatch.setattr(resilient, "outage", resilient._Outage())
    return resilient


def use_redis(settings, url):
    """Both caches on this Redis, as in production: rate limits, form stamps and pages."""
    redis = {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "welzijn-degrade-test",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }
    settings.CACHES = {**settings.CACHES, "default": redis, "pages": dict(redis)}


class Hung(Exception):
    pass


def within(seconds, func):
    """Run func; fail if it has not returned in `seconds` (a hang, not slowness)."""
    def alarm(signum, frame):
        raise Hung(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return func()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def everything_a_reader_does(client, editor):
    """A page, a comment from a returning commenter, a sign-up and the editor's login."""
    from django.test import TestCase

    post = LivePostFactory(title="Sociaal media is booming")
    CommentFactory(post=post, email="jan@example.org")  # approved before: trusted
    page = client.get(post.get_absolute_url())
    comment = client.post(comment_url(post), human_form(body="Nog steeds waar."))
    with TestCase.captureOnCommitCallbacks(execute=True):  # the sign-up is a task
        signup = client.post(reverse("newsletter:subscribe"),
                             {**human_form(), "email": "lezer@example.org"})
    login = client.post(reverse("accounts:login"),
                        {"username": editor.username, "password": PASSWORD})
    return page, comment, signup, login


def assert_everything_worked(page, comment, signup, login):
    assert page.status_code == 200
    assert comment.status_code == 302
    stored = Comment.objects.get(body="Nog steeds waar.")
    # Kept, but held: the rate limit could not be checked across the nodes.
    assert stored.status == Comment.Status.PENDING
    assert signup.status_code == 302
    assert Subscriber.objects.filter(email="lezer@example.org").exists()
    assert login.status_code == 302


def test_redis_refusing_connections(client, editor, settings, fresh_breaker, caplog):
    use_redis(settings, f"redis://127.0.0.1:{redis_port(1)}/0")  # nothing listens there
    with caplog.at_level(logging.ERROR, logger="core.cache"):
        assert_everything_worked(*everything_a_reader_does(client, editor))
        for _ in range(3):
            assert client.get("/").status_code == 200
    assert sum(OUTAGE_LOGGED in r.getMessage() for r in caplog.records) == 1


def test_a_frozen_redis_neither_hangs_nor_fails(client, editor, settings, fresh_breaker,
                                                caplog):
    server = RedisServer(redis_port()).start()
    try:
        use_redis(settings, server.url)
        from django.core.cache import cache

        cache.set("alive", 1)
        assert cache.get("alive") == 1
        server.freeze()
        with caplog.at_level(logging.WARNING, logger="core.cache"):
            results = within(20, lambda: everything_a_reader_does(client, editor))
            assert_everything_worked(*results)
            assert sum(OUTAGE_LOGGED in r.getMessage() for r in caplog.records) == 1

            server.thaw()
            fresh_breaker.outage.retry_at = 0  # the pause is over
            post = LivePostFactory()
            CommentFactory(post=post, email="piet@example.org")
            client.post(comment_url(post), human_form(email="piet@example.org", body="Weer."))
            assert Comment.objects.get(body="Weer.").status == Comment.Status.APPROVED
            assert any("answers again" in r.getMessage() for r in caplog.records)
    finally:
        server.stop()


def test_a_restarted_redis_is_used_again(client, editor, settings, fresh_breaker):
    """Each process keeps one Redis client (core.cache): a Redis restarted under it (its
    connections gone) is found again once the breaker's pause is over."""
    port = redis_port()
    server = RedisServer(port).start()
    try:
        use_redis(settings, server.url)
        from django.core.cache import cache

        cache.set("alive", 1)
        server.stop()
        assert cache.get("alive") is None  # down: a miss, not an error
        server = RedisServer(port).start()
        fresh_breaker.outage.retry_at = 0  # the pause is over
        assert cache.add("again", 1) and cache.get("again") == 1
        post = LivePostFactory()
        CommentFactory(post=post, email="piet@example.org")
        client.post(comment_url(post), human_form(email="piet@example.org", body="Terug."))
        assert Comment.objects.get(body="Terug.").status == Comment.Status.APPROVED
    finally:
        server.stop()


def test_without_redis_the_login_limit_still_holds_per_node(client, editor, settings,
                                                            fresh_breaker,
                                                            steady_rate_window):
    use_redis(settings, f"redis://127.0.0.1:{redis_port(1)}/0")
    settings.LOGIN_RATE_LIMIT = "3/h"
    url = reverse("accounts:login")
    statuses = [client.post(url, {"username": editor.username, "password": "fout"},
                            REMOTE_ADDR="203.0.113.44").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other = client.post(url, {"username": editor.username, "password": PASSWORD},
                        REMOTE_ADDR="198.51.100.3")
    assert other.status_code == 302
