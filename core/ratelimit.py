"""One rate limit for every public form: login, password reset, pitches, comments, sign-ups.

A fixed window per client address (`core.antispam.client_ip`), counted in the shared
cache, so the limit holds across every app node when REDIS_URL is set. Over the limit the
answer is always the same: status 429, `Retry-After` with the seconds left in the current
window, never cached. By default the page is the shared `429.html`; a view whose visitor
would otherwise lose what they typed (a comment, a sign-up) passes `on_limit` to send its
own page back with the form filled in, and gets the same status and header on it.

When the shared cache does not answer (core.cache), the count goes on in this process alone:
nobody gets an error page, a flood still meets a limit per node, and the view learns it from
`request.rate_limit_checked` (comments are then held for moderation).
"""

import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import ngettext

from core.antispam import client_ip, hash_value
from core.cache import CacheUnavailable, local
from core.http import keep_private

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponseBase]


@dataclass(frozen=True)
class RateLimit:
    """A refused request: the limit it broke, and when the next one will be let through."""

    limit: int
    window: int  # seconds
    retry_after: int  # seconds until the current window ends: 1 ≤ retry_after ≤ window

    @property
    def wait(self) -> str:
        """How long to wait, in words ("40 seconden", "12 minuten")."""
        if self.retry_after < 60:
            return ngettext("%(n)d seconde", "%(n)d seconden", self.retry_after) % {
                "n": self.retry_after}
        if self.retry_after <= 2 * 3600:
            minutes = math.ceil(self.retry_after / 60)
            return ngettext("%(n)d minuut", "%(n)d minuten", minutes) % {"n": minutes}
        hours = math.ceil(self.retry_after / 3600)
        return ngettext("%(n)d uur", "%(n)d uur", hours) % {"n": hours}


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/m' → (5, 60). Units: s, m, h, d."""
    count, _sep, unit = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit.strip()[:1] or "m"]
    return int(count), seconds


def _count(store, key: str, window: int) -> int:
    store.add(key, 0, timeout=window + 5)
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.add(key, 1, timeout=window + 5)
        return 1


def hit(request: HttpRequest, *, scope: str, rate: str) -> RateLimit | None:
    """Count this request; a RateLimit when the client went over `rate` in this window.

    `cache.add` + `cache.incr` are atomic in Redis, so concurrent nodes share one counter.
    When the shared cache is down the count is this process's own, and
    `request.rate_limit_checked` is False, so a caller can be more careful (a comment is
    then held for moderation).
    """
    limit, window = parse_rate(rate)
    now = time.time()
    bucket = int(now // window)
    key = f"ratelimit:{scope}:{hash_value(client_ip(request), purpose='ratelimit')}:{bucket}"
    try:
        count = _count(cache, key, window)
        request.rate_limit_checked = True
    except Exception as error:  # CacheUnavailable, or any cache backend's own error
        if not isinstance(error, CacheUnavailable):
            logger.warning("rate limit: the cache failed (%s); counting on this node", error)
        count = _count(local, key, window)  # per node, never none
        request.rate_limit_checked = False
    if count <= limit:
        return None
    retry_after = math.ceil((bucket + 1) * window - now)
    return RateLimit(limit=limit, window=window, retry_after=min(max(retry_after, 1), window))


def too_many_requests(request: HttpRequest, limited: RateLimit, *, what: str) -> HttpResponse:
    """The shared 429 page: what came too often, and how long to wait."""
    return render(request, "429.html", {"what": what, "wait": limited.wait}, status=429)


def rate_limit(
    *,
    scope: str,
    rate: str,
    what: str,
    methods: Iterable[str] = ("POST",),
    on_limit: View | None = None,
) -> Callable[[View], View]:
    """Limit a view to the rate in the setting named `rate` (read per request).

    `scope` names the counter; `what` says in Dutch what came too often ("inlogpogingen").
    Over the limit `request.rate_limited` holds the RateLimit, and the answer is
    `on_limit(request, *args, **kwargs)` if given, else the shared page; either way it
    leaves with status 429, `Retry-After` and private, no-store. For class-based views use
    `method_decorator(rate_limit(...), name="post")`.
    """
    methods = frozenset(method.upper() for method in methods)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            request.rate_limited = None
            request.rate_limit_checked = True
            if request.method in methods:
                limited = hit(request, scope=scope, rate=getattr(settings, rate))
                if limited is not None:
                    request.rate_limited = limited
                    if on_limit is not None:
                        response = on_limit(request, *args, **kwargs)
                    else:
                        response = too_many_requests(request, limited, what=what)
                    response.status_code = 429
                    response["Retry-After"] = str(limited.retry_after)
                    return keep_private(response)  # an answer for this client only
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
