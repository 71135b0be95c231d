"""Old WordPress links keep working: a 404 at an imported post's old address becomes a 301.

Only a 404 is looked at, with one indexed query, so no page the site serves is ever
shadowed and ordinary requests cost nothing. The one exception is WordPress's
`/?p=123` form: that path is the home page, which answers 200, so a request for `/` with
a numeric `p` or `page_id` is looked up first.

A redirect never reveals what is not public: it only leads to a live post
(`Post.objects.live()`) or a published page; otherwise the 404 stands.
"""

from django.db.models import Q
from django.http import HttpResponsePermanentRedirect

from blog.models import Page, Post
from wordpress.models import LegacyRedirect

_QUERY_KEYS = ("p", "page_id")


def _candidates(request) -> list[str]:
    path = request.path
    paths = [path]
    for key in _QUERY_KEYS:
        value = request.GET.get(key, "")
        if value.isdigit():
            paths.insert(0, f"{path}?{key}={value}")
    # WordPress permalinks end in a slash; a link may have lost it, or gained one.
    paths.append(path[:-1] if path.endswith("/") and len(path) > 1 else path + "/")
    return paths


def _target_url(request) -> str | None:
    candidates = _candidates(request)
    redirect = (
        LegacyRedirect.objects.filter(old_path__in=candidates)
        .filter(Q(post__in=Post.objects.live()) | Q(page__in=Page.objects.published()))
        .select_related("post", "page")
        .order_by()
    )
    found = {row.old_path: row for row in redirect}
    for path in candidates:  # the most specific match wins
        if path in found:
            url = found[path].target.get_absolute_url()
            return url if url != request.get_full_path() else None
    return None


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        if request.path == "/" and any(request.GET.get(k, "").isdigit() for k in _QUERY_KEYS):
            url = _target_url(request)
            if url:
                return HttpResponsePermanentRedirect(url)
        response = self.get_response(request)
        if response.status_code == 404:
            url = _target_url(request)
            if url:
                return HttpResponsePermanentRedirect(url)
        return response
