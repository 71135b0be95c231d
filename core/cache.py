"""The shared cache degrades, it never fails: Redis down or frozen costs speed, not pages.

`ResilientRedisCache` is Django's RedisCache with three additions:

- every call that fails (refused, reset, or timed out after the short socket timeouts in
  CACHES OPTIONS) answers as a cache miss would: `get` gives the default, `set`/`add`
  give False, and nothing is raised to the page;
- after a failure the cache is left alone for OUTAGE_PAUSE seconds (a circuit breaker), so a
  frozen Redis costs one timeout per node every few seconds instead of one per call;
- the outage is logged once when it starts and once when Redis answers again, not per request.

The one caller that must know the difference between "no value" and "no cache" is the rate
limit: `incr` raises `CacheUnavailable` (see `core.ratelimit`).
"""

import logging
import threading
import time

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

OUTAGE_PAUSE = 5.0  # seconds without trying after a failure


class CacheUnavailable(Exception):
    """The shared cache did not answer (for callers that must know, like the rate limit)."""


class _Outage:
    """Per process: is Redis considered down, and until when do we leave it alone?"""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0

    def skip(self) -> bool:
        return self.down_since is not None and time.monotonic() < self.retry_at

    def failed(self, error: Exception) -> None:
        with self.lock:
            self.retry_at = time.monotonic() + OUTAGE_PAUSE
            if self.down_since is None:
                self.down_since = time.monotonic()
                logger.error(
                    "cache: Redis does not answer (%s: %s); pages are served without it and "
                    "rate limits count per node until it is back", type(error).__name__, error,
                )

    def answered(self) -> None:
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is not None:
                logger.warning("cache: Redis answers again after %.0f s",
                               time.monotonic() - self.down_since)
                self.down_since = None


outage = _Outage()


def _errors():
    import redis

    return (redis.exceptions.RedisError, OSError)


class _ReusedRedisClients(RedisCacheClient):
    """Django's client builds a `redis.Redis` object for every call, which costs more than a
    round trip to a local Redis (it fills a table of ~170 reply parsers). One per connection
    pool is enough: a `redis.Redis` is safe to share between threads, and its pool hands out
    the connections."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedRedisClients

    def _call(self, method: str, fallback, *args, **kwargs):
        if outage.skip():
            return fallback
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except _errors() as error:
            outage.failed(error)
            return fallback
        outage.answered()
        return result

    @property
    def available(self) -> bool:
        """False while the breaker keeps this process away from Redis."""
        return not outage.skip()

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)

    def incr(self, key, delta=1, version=None):
        """Raises CacheUnavailable instead of pretending: a counter cannot be guessed."""
        if outage.skip():
            raise CacheUnavailable("Redis is down")
        try:
            result = super().incr(key, delta, version)
        except _errors() as error:
            outage.failed(error)
            raise CacheUnavailable(str(error)) from error
        outage.answered()
        return result

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)


# While the shared cache is down, what must be counted or remembered is kept per process: the
# rate limit's counters, spent form timestamps. Per node is weaker than shared, never absent.
local = LocMemCache("welzijn-local-fallback", {"OPTIONS": {"MAX_ENTRIES": 20_000}})


def first_use(key: str, *, timeout: int) -> bool:
    """True the first time `key` is used (across all nodes; per node while Redis is down)."""
    if cache.add(key, 1, timeout=timeout):
        return True
    if getattr(cache, "available", True):
        return False  # the shared cache answered: it was there already
    return local.add(key, 1, timeout=timeout)
