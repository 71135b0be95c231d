"""Old WordPress links keep working: a 404 at an imported item's old address becomes a 301.

Only a 404 is looked at, with one indexed query, so no page the site serves is ever
shadowed and ordinary requests cost nothing. The one exception is WordPress's query forms
(`/?p=123`, `/?page_id=`, `/?cat=`, `/?tag=`, `/?author=`, `/?m=201012`): that path is the
home page, which answers 200, so a request for `/` with such a query is looked up first.

What is looked up: `LegacyRedirect` rows (posts, pages, and the tag and author pages that old
category, tag and author addresses became), then WordPress's date archives
(`/2010/`, `/2010/12/`, `/2010/12/06/`), which need no rows: they go to `/archief/…`.
A `/page/N/` at the end of an old list address becomes `?pagina=N`.

A redirect never reveals what is not public: it only leads to a live post
(`Post.objects.live()`), a published page, or a tag or author page that lists a live post;
otherwise the 404 stands.
"""

import re

from django.db.models import Q
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from blog.models import Page, Post
from wordpress.models import LegacyRedirect

_QUERY_KEYS = ("p", "page_id", "cat", "author", "tag")
_PAGED = re.compile(r"^(?P<path>.*/)page/(?P<n>\d+)/?$")
_DATE_ARCHIVE = re.compile(r"^/(?P<year>(?:19|20)\d{2})/(?:(?P<month>0[1-9]|1[0-2])/"
                           r"(?:(?:0[1-9]|[12]\d|3[01])/)?)?$")


def _query_value(request, key: str) -> str:
    value = request.GET.get(key, "")
    if key == "tag":
        return value if re.fullmatch(r"[\w-]{1,100}", value) else ""
    return value if value.isdigit() else ""


def _candidates(path: str, request) -> list[str]:
    paths = [path]
    for key in _QUERY_KEYS:
        value = _query_value(request, key)
        if value:
            paths.insert(0, f"{path}?{key}={value}")
    # WordPress permalinks end in a slash; a link may have lost it, or gained one.
    paths.append(path[:-1] if path.endswith("/") and len(path) > 1 else path + "/")
    return paths


def _public_targets() -> Q:
    live = Post.objects.live()
    live_tags = Post.tags.through.objects.filter(content_object__in=live).values("tag_id")
    return (Q(post__in=live) | Q(page__in=Page.objects.published())
            | Q(tag__in=live_tags) | Q(author__in=live.values("author_id")))


def _row_url(request, path: str) -> str | None:
    candidates = _candidates(path, request)
    rows = (
        LegacyRedirect.objects.filter(old_path__in=candidates)
        .filter(_public_targets())
        .select_related("post", "page", "tag", "author__profile")
        .order_by()
    )
    found = {row.old_path: row for row in rows}
    for candidate in candidates:  # the most specific match wins
        if candidate in found:
            return found[candidate].target_url()
    return None


def _archive_url(request, path: str) -> str | None:
    match = _DATE_ARCHIVE.match(path)
    month = request.GET.get("m", "") if path == "/" else ""
    if match is None and re.fullmatch(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])?(?:\d{2})?", month):
        return reverse("blog:archive-year", kwargs={"year": month[:4]}) if len(month) == 4 \
            else reverse("blog:archive-month", kwargs={"year": month[:4], "month": month[4:6]})
    if match is None:
        return None
    if match.group("month"):
        return reverse("blog:archive-month",
                       kwargs={"year": match.group("year"), "month": match.group("month")})
    return reverse("blog:archive-year", kwargs={"year": match.group("year")})


def _target_url(request) -> str | None:
    path, page = request.path, ""
    paged = _PAGED.match(path)
    if paged and paged.group("path") != "/":
        path, page = paged.group("path"), paged.group("n")
    url = _row_url(request, path) or _archive_url(request, path)
    if url and page and page != "1":
        url = f"{url}?pagina={page}"
    return url if url and url != request.get_full_path() else None


def _asks_old_query(request) -> bool:
    return any(_query_value(request, key) for key in _QUERY_KEYS) or bool(request.GET.get("m"))


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        if request.path == "/" and _asks_old_query(request):
            url = _target_url(request)
            if url:
                return HttpResponsePermanentRedirect(url)
        response = self.get_response(request)
        if response.status_code == 404:
            url = _target_url(request)
            if url:
                return HttpResponsePermanentRedirect(url)
        return response
