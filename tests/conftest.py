import io

import pytest
from django.conf import settings
from django.core.cache import caches
from PIL import Image as PILImage

from tests.factories import PASSWORD, EditorFactory, GuestFactory


def clear_own_cache():
    """Empty this test process's cache and nobody else's.

    With Redis, `cache.clear()` flushes the whole database, including the counters of the
    other xdist workers (and of any other run sharing the server) in the middle of their
    tests; settings_test gives each process its own key prefix, so delete only that.
    """
    import redis

    for alias in ("default", "pages", "fragments"):
        if settings.CACHES[alias]["BACKEND"].endswith("RedisCache"):
            client = caches[alias]._cache.get_client(write=True)
            prefix = settings.CACHES[alias]["KEY_PREFIX"]
            try:
                for key in client.scan_iter(match=f"{prefix}:*", count=1000):
                    client.delete(key)
            except (redis.RedisError, OSError):
                pass  # a test that stopped its own Redis (tests/test_degrade.py)
        else:
            caches[alias].clear()


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploads go to a fresh folder per test; rate-limit counters and pages start afresh.

    A store that failed in a test (the month list's, the cards' or the pages' own, which
    share it) is left alone for 30 s by the page cache of this process: the next test gets
    it back."""
    from blog import cards
    from core import pagecache

    settings.MEDIA_ROOT = tmp_path / "media"
    clear_own_cache()
    yield
    clear_own_cache()
    pagecache._health.retry_at = 0.0
    pagecache._health.renew_pending = False
    cards._renew_pending = False


@pytest.fixture
def page_cache_off(settings):
    """For tests that count what rendering a page costs: every request renders."""
    settings.PAGE_CACHE = False


@pytest.fixture
def steady_rate_window():
    """Run the test at the start of an hour: fixed-window rate limits cannot roll over
    half-way (which would make "the fourth attempt is refused" fail once in a while)."""
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime(2030, 1, 7, 12, 0, 1, tzinfo=datetime.UTC),
                             tick=True):
        yield


@pytest.fixture
def editor(db):
    return EditorFactory(username="redactie", email="redactie@example.org",
                         first_name="Anneke", last_name="Krakers")


@pytest.fixture
def guest(db):
    return GuestFactory(username="gast-a", email="gast-a@example.org")


@pytest.fixture
def other_guest(db):
    return GuestFactory(username="gast-b", email="gast-b@example.org")


def _logged_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def editor_client(client, editor):
    return _logged_in(client, editor)


@pytest.fixture
def guest_client(client, guest):
    return _logged_in(client, guest)


@pytest.fixture
def make_client():
    """A logged-in client for any user: make_client(user)."""
    from django.test import Client

    def make(user=None):
        c = Client()
        if user is not None:
            _logged_in(c, user)
        return c

    return make


def image_bytes(fmt="JPEG", size=(1200, 800), color=(30, 120, 90), exif=None) -> bytes:
    """A real image file in memory, optionally with EXIF (e.g. GPS) attached."""
    mode = "RGBA" if fmt == "PNG" else "RGB"
    img = PILImage.new(mode, size, color)
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    img.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


@pytest.fixture
def make_image():
    return image_bytes
