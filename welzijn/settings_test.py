"""Settings for the test suite: the real settings plus what makes tests fast and isolated."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from welzijn.settings import *  # noqa: E402,F403
from welzijn.settings import CACHES, REDIS_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run in the test's own process when the transaction that enqueued them commits (see
# tests/task_backends.py). The real queue (the database backend and its worker, retries) is
# tested in tests/test_mail_queue.py and the two-node test.
TASKS = {"default": {"BACKEND": "tests.task_backends.OnCommitBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "https://welzijn.test"
if REDIS_URL:
    # Parallel runs against one Redis server must not share rate-limit counters or pages.
    CACHES["default"]["KEY_PREFIX"] = f"welzijn-test-{os.getpid()}"
    CACHES["pages"]["KEY_PREFIX"] = f"welzijn-test-{os.getpid()}"
else:
    # One process renders every page of a test run: its own memory is shared enough.
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                       "LOCATION": "pages"}
# The suite runs with the page cache on, as production does (tests/test_page_cache.py).
PAGE_CACHE = True

