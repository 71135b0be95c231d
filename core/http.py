"""Small HTTP helpers every app shares: personal pages and absolute links.

- `private_page`: a page made for one person (the desk, previews, an invitation, a link
  from an e-mail, a form sent back with what someone typed) is never stored by a cache,
  shared or not, and never indexed. One definition, so no view forgets half of it.
- `absolute_url`: links that leave the site (e-mails, feeds, the sitemap, exports) always
  point at SITE_URL, whatever host the request came in on.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

View = Callable[..., HttpResponseBase]


def private_page(view: View) -> View:
    """Decorate a view: its answers are `Cache-Control: private, no-store` and noindex."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        return keep_private(view(request, *args, **kwargs))

    return wrapped


def keep_private(response: HttpResponseBase) -> HttpResponseBase:
    """What `private_page` does to a response, for the few answers built outside a view.

    `add_never_cache_headers` sends `max-age=0, no-cache, no-store, must-revalidate,
    private` and an Expires in the past, so even an old proxy keeps no copy.
    """
    add_never_cache_headers(response)
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


def absolute_url(path: str) -> str:
    """An absolute link on SITE_URL for a site path; an absolute URL is left as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path
