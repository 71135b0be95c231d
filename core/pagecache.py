"""The anonymous page cache (issue 11): pages every reader shares, kept for every app node.

Which pages: the views wrapped in `public_page` (home, posts, series, trends, tag, author and
archive pages, static pages, feeds, the sitemap), and only for a GET or HEAD from a reader
without personal cookies (see `is_personal`) and without a query string other than
`?pagina=N`. Everything else passes through untouched; a personal request to a public page
is answered `private, no-store`.

Where: Django's cache alias "pages" (settings.CACHES): Redis when REDIS_URL is set, shared
by every node; otherwise a file cache under the var folder, shared by every process on the
machine (local memory would not be: a write in one gunicorn worker could not reach the
pages another worker keeps).

How long: a copy is valid until the first of
- the next scheduled moment at which the site changes by itself: the next `publish_at` of
  an approved post (`schedule` registers that question; blog answers it), since a post
  goes live at `publish_at` with nothing written at that moment;
- a bound the view set (`valid_until`, e.g. the moment a post's comments close);
- PAGE_CACHE_SECONDS, the longest any copy is kept.

Writes: **versioned keys**. Every key holds a generation token, and every write that can
change a public page calls `changed()`, which replaces the token with a new random one
(at once, and again after the commit): all copies made before become unreachable at once, on every node, without
knowing which pages a write touched (a renamed tag or an author's new photo shows on pages
nobody could list cheaply). A reader that rendered before the write stores its copy under
the old token, so it is never served. Blogs are read thousands of times per write, so
starting over after each write costs little. The old copies expire on their own.

Shared proxies (nginx) get `Cache-Control: public, max-age=0, s-maxage=N`, N at most
PAGE_CACHE_PROXY_SECONDS and never past the same schedule bound; they may keep a page that
long, which is the one delay a write can have for anonymous readers.
"""

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, get_max_age, patch_cache_control
from django.utils.http import parse_http_date_safe

from core.http import keep_private

logger = logging.getLogger(__name__)

ALIAS = "pages"
GENERATION_KEY = "page:generation"
SIMPLE_QUERY = re.compile(r"(?:pagina=[1-9][0-9]{0,5})?")
# Headers the middleware above this one (security, whitenoise) adds on every answer, and
# those the cache writes itself: not stored with a page.
NOT_STORED = {"set-cookie", "cache-control", "x-page-cache", "date", "expires"}

_bounds: list[Callable[[datetime], datetime | None]] = []


def schedule(question: Callable[[datetime], datetime | None]) -> None:
    """Register `question(now)`: the next moment after `now` at which public pages change by
    themselves (for blog: the next scheduled `publish_at`), or None."""
    _bounds.append(question)


def public_page(view):
    """Mark a view whose page is the same for every anonymous reader: it may be cached."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.public_page = True
    return wrapped


def is_personal(request: HttpRequest) -> bool:
    """Any cookie but the CSRF cookie makes a request personal: the session (logged in, or a
    flash message), this reader's own pending comments, the author's reply link, and any
    cookie added later that nobody thought of. The CSRF token is not on shared pages."""
    return any(name != settings.CSRF_COOKIE_NAME for name in request.COOKIES)


def is_shared(request: HttpRequest) -> bool:
    """True while a public page is rendered for a reader it may be shared with: the page
    must then hold nothing of this reader (see core/formkeys.py)."""
    state = getattr(request, "_page_cache", None)
    return bool(state is not None and state.shareable and state.public_view)


def valid_until(request: HttpRequest, moment: datetime | None) -> None:
    """The page being rendered changes by itself at `moment`: no copy may outlive it."""
    state = getattr(request, "_page_cache", None)
    if state is not None and moment is not None:
        stamp = moment.timestamp()
        state.bound = stamp if state.bound is None else min(state.bound, stamp)


def changed() -> None:
    """Public content changed: no copy made before is served again.

    The generation is renewed at once (so this process, and a test inside its transaction,
    never sees an old copy) and again after the commit: a reader that rendered in between
    still saw the data from before the commit, and stored it under the token in between.
    """
    _renew_generation()
    transaction.on_commit(_renew_generation, robust=True)


def _changed_receiver(sender, **kwargs):
    changed()


def watch(*models, when: Callable[..., bool] | None = None) -> None:
    """Call `changed()` whenever an instance of one of `models` is saved or deleted.

    Each app names the models whose rows show on public pages (in its AppConfig.ready());
    `when(instance, created=..., update_fields=...)` can skip saves that change nothing a
    reader sees. Writes that bypass signals (`QuerySet.update`, `bulk_create`) call
    `changed()` themselves.
    """
    from django.db.models.signals import post_delete, post_save

    def on_save(sender, instance, created=False, update_fields=None, **kwargs):
        if when is None or when(instance, created=created, update_fields=update_fields):
            changed()

    for model in models:
        label = model._meta.label_lower
        post_save.connect(on_save, sender=model, weak=False, dispatch_uid=f"pagecache:{label}")
        post_delete.connect(_changed_receiver, sender=model, weak=False,
                            dispatch_uid=f"pagecache:{label}:delete")


# --- the store -----------------------------------------------------------------------------

class _Health:
    """A cache that fails (Redis down or frozen) is left alone for a while: pages are then
    rendered as if there were no cache, and the failure is logged once, not per request."""

    retry_at = 0.0
    renew_pending = False

    def usable(self) -> bool:
        return time.monotonic() >= self.retry_at

    def failed(self, error: Exception) -> None:
        if self.usable():
            logger.warning("page cache unavailable, serving uncached pages for 30 s: %r", error)
        self.retry_at = time.monotonic() + 30


_health = _Health()


def _store():
    return caches[ALIAS]


def _renew_generation() -> None:
    # A new random token rather than a counter: two writers that renew at once both make the
    # old token unreachable, whichever value stays.
    try:
        _store().set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        _health.renew_pending = False
    except Exception as error:  # noqa: BLE001 (any cache failure: retried on the next request)
        _health.renew_pending = True
        _health.failed(error)


def generation() -> str:
    return token(GENERATION_KEY)


def token(key: str) -> str:
    """The random token under `key` in the page cache's store, made when there is none (the
    page cache's generation; `blog.cards` keeps one of its own)."""
    store = _store()
    found = store.get(key)
    if found is None:
        found = secrets.token_hex(8)
        if not store.add(key, found, timeout=None):
            found = store.get(key) or found
    return found


def next_change(generation_token: str, now: float) -> float | None:
    """The next scheduled change after `now` (epoch seconds), asked once per generation and
    again each time the moment it gave has passed."""
    store = _store()
    key = f"page:{generation_token}:next"
    known = store.get(key)
    if known is not None and (known == 0 or known > now):
        return known or None
    moment = None
    when = datetime.fromtimestamp(now, tz=UTC)
    for question in _bounds:
        answer = question(when)
        if answer is not None:
            stamp = answer.timestamp()
            moment = stamp if moment is None else min(moment, stamp)
    store.set(key, moment or 0, timeout=settings.PAGE_CACHE_SECONDS)
    return moment


@dataclass
class _State:
    now: float
    personal: bool
    shareable: bool  # GET/HEAD, no personal cookie, no query string but ?pagina=N
    public_view: bool = False
    generation: str | None = None
    bound: float | None = None


@dataclass
class Entry:
    valid_until: float
    headers: list[tuple[str, str]]
    content: bytes
    etag: str | None
    last_modified: float | None
    max_age: int  # what the view allowed browsers (feeds: 300 s), before the schedule bound


# Settings that shape public pages: a node started with other values makes other pages.
PAGE_SETTINGS = ("SITE_URL", "SITE_NAME", "POSTS_PER_PAGE", "COMMENTS_CLOSE_AFTER_DAYS",
                 "LANGUAGE_CODE", "TIME_ZONE", "STATIC_URL", "MEDIA_URL", "DEBUG")
_fingerprint: str | None = None


def fingerprint() -> str:
    """What this node renders pages from, besides the database: the settings above and the
    contents of the templates and translations. Part of every key, so nodes running the same
    code share pages, and a deploy with new templates starts afresh (`migrate` renews the
    generation as well, for code changes elsewhere)."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(repr([getattr(settings, name, None)
                                      for name in PAGE_SETTINGS]).encode())
        folders = [Path(folder) for engine in settings.TEMPLATES
                   for folder in engine.get("DIRS", [])]
        folders += [Path(folder) for folder in settings.LOCALE_PATHS]
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    digest.update(str(path.relative_to(folder)).encode())
                    digest.update(path.read_bytes())
        _fingerprint = digest.hexdigest()[:16]
    return _fingerprint


@receiver(setting_changed)
def _settings_changed(**kwargs):
    global _fingerprint
    _fingerprint = None


def _page_key(generation_token: str, request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(f"{fingerprint()}:{address}".encode()).hexdigest()[:40]
    return f"page:{generation_token}:{digest}"


def _shared_headers(response: HttpResponse, *, until: float, max_age: int) -> None:
    """`public`, with lifetimes that end before `until` for browsers and proxies alike.

    nginx counts in whole seconds: a copy with s-maxage=N stays fresh until the end of the
    Nth second after the one it was stored in, up to N + 1 seconds. So proxies get one second
    less than is left before `until`. What is left is counted from now, as the answer leaves,
    not from when the request came in: a proxy starts its clock when it receives the page,
    and a page that took a busy machine a second to render would otherwise be kept a second
    past `until` (CI's nginx test saw a scheduled post appear 2.05 s late).
    """
    left = max(int(until - timezone.now().timestamp()), 0)
    response.headers.pop("Cache-Control", None)
    patch_cache_control(response, public=True, max_age=min(max_age, left),
                        s_maxage=min(settings.PAGE_CACHE_PROXY_SECONDS, max(left - 1, 0)))


def _no_shared_copy(response: HttpResponse) -> None:
    """A public page the app does not keep (cache off, an odd query string, a cache that is
    down): no proxy or browser keeps it either; it is asked again with If-None-Match."""
    response.headers.pop("Cache-Control", None)
    patch_cache_control(response, public=True, max_age=0, s_maxage=0)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies:  # something was set for this reader after all
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


class PageCacheMiddleware:
    """Serves and stores shared pages. Sits above the session, CSRF and auth middleware, so
    a page served from the cache costs none of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        query = request.META.get("QUERY_STRING", "")
        personal = is_personal(request)
        state = _State(
            now=timezone.now().timestamp(),
            personal=personal,
            shareable=(request.method in ("GET", "HEAD") and not personal
                       and SIMPLE_QUERY.fullmatch(query) is not None),
        )
        request._page_cache = state
        if state.shareable and settings.PAGE_CACHE and _health.usable():
            try:
                if _health.renew_pending:
                    _renew_generation()
                state.generation = generation()
                entry = _store().get(_page_key(state.generation, request))
            except Exception as error:  # noqa: BLE001 (degrade: render as if uncached)
                _health.failed(error)
                state.generation = entry = None
            if entry is not None and entry.valid_until > state.now:
                return self.serve(request, entry)

        response = self.get_response(request)
        if state.public_view:
            if personal:
                keep_private(response)
            elif state.shareable and settings.PAGE_CACHE and _storable(request, response):
                self.store(request, response, state)
            elif (response.status_code == 304 and state.shareable and settings.PAGE_CACHE
                  and state.generation is not None):
                # A proxy revalidating its copy: it may keep it as long as a new one.
                self.renew(response, state)
            elif 200 <= response.status_code < 300:
                _no_shared_copy(response)
        elif response.cookies and not response.has_header("Cache-Control"):
            # An answer that sets a cookie (a login form's CSRF token, a flash message) is
            # one reader's: no cache may keep it, whatever the view forgot to say.
            keep_private(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = getattr(request, "_page_cache", None)
        if state is not None and getattr(view_func, "public_page", False):
            state.public_view = True

    @staticmethod
    def valid_until(state: _State) -> float:
        until = state.now + settings.PAGE_CACHE_SECONDS
        if state.bound is not None:
            until = min(until, state.bound)
        scheduled = next_change(state.generation, state.now)
        return until if scheduled is None else min(until, scheduled)

    def renew(self, response: HttpResponse, state: _State) -> None:
        try:
            until = self.valid_until(state)
        except Exception as error:  # noqa: BLE001
            _health.failed(error)
            _no_shared_copy(response)
            return
        _shared_headers(response, until=until, max_age=get_max_age(response) or 0)

    def store(self, request: HttpRequest, response: HttpResponse, state: _State) -> None:
        if state.generation is None:  # the cache failed on the way in
            _no_shared_copy(response)
            return
        max_age = get_max_age(response) or 0
        try:
            until = self.valid_until(state)
            if until > state.now:
                entry = Entry(
                    valid_until=until,
                    headers=[(name, value) for name, value in response.items()
                             if name.lower() not in NOT_STORED],
                    content=response.content,
                    etag=response.get("ETag"),
                    last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                    max_age=max_age,
                )
                _store().set(_page_key(state.generation, request), entry,
                             timeout=max(int(until - state.now) + 1, 1))
        except Exception as error:  # noqa: BLE001 (degrade: the page is served, not kept)
            _health.failed(error)
            _no_shared_copy(response)  # without the schedule no proxy may keep it
            return
        _shared_headers(response, until=until, max_age=max_age)
        response["X-Page-Cache"] = "miss"

    def serve(self, request: HttpRequest, entry: Entry) -> HttpResponse:
        response = HttpResponse(entry.content)
        for name, value in entry.headers:
            response[name] = value
        _shared_headers(response, until=entry.valid_until, max_age=entry.max_age)
        response["X-Page-Cache"] = "hit"
        return get_conditional_response(
            request, etag=entry.etag, last_modified=entry.last_modified, response=response
        )
