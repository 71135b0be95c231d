import io

import pytest
from django.core.cache import cache
from PIL import Image as PILImage

from tests.factories import PASSWORD, EditorFactory, GuestFactory


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploads go to a fresh folder per test; rate-limit counters start at zero."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


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
