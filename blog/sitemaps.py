"""The sitemap: an index at /sitemap.xml and its parts, on the SITE_URL host.

Only what a reader can open is listed: live posts, published pages, and tags, authors and
archive months that have live posts (their pages are a 404 otherwise).

Every part holds at most `LIMIT` addresses (the protocol allows 50,000; a smaller part costs
the same to make with 1,000 posts as with 100,000). Posts, tags and authors are split by
id, from the lowest listed id on: part n holds the rows with ids in
(low - 1 + (n-1)·LIMIT, low - 1 + n·LIMIT], so a part is one index range scan and the index
needs no count, only the lowest and highest id; a part can hold fewer addresses than LIMIT
(drafts and deleted rows have ids too), never more.
"""

from datetime import datetime
from functools import cached_property
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, Min, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from taggit.models import Tag

from accounts.models import AuthorProfile
from blog.archive import live_months
from blog.models import Page, Post, Series
from core.http import absolute_url
from trends.models import Trend, TrendList

LIMIT = 1000


class SiteSitemap(Sitemap):
    """Absolute URLs on SITE_URL, whatever host the sitemap was requested on.

    Django's Sitemap joins `protocol://domain` and the path itself, so both halves are read
    from the site root as `core.http.absolute_url` spells it.
    """

    @property
    def limit(self):
        return LIMIT

    def get_protocol(self, protocol=None):
        return urlsplit(absolute_url("/")).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(absolute_url("/"))
        return parts.netloc + parts.path.rstrip("/")


class IdRangePage:
    def __init__(self, object_list):
        self.object_list = object_list


class IdRangePaginator:
    """Part n of `queryset`: the rows with ids in (base + (n-1)·per_page, base + n·per_page],
    where base is one below the lowest id in it."""

    def __init__(self, queryset, per_page: int):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def bounds(self) -> tuple[int, int]:
        found = self.queryset.aggregate(low=Min("pk"), high=Max("pk"))
        return (found["low"] or 1) - 1, found["high"] or 0

    @property
    def num_pages(self) -> int:
        base, high = self.bounds
        return max(1, -(-(high - base) // self.per_page))

    def page(self, number) -> IdRangePage:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage
        base = self.bounds[0]
        low, high = base + (number - 1) * self.per_page, base + number * self.per_page
        return IdRangePage(self.queryset.filter(pk__gt=low, pk__lte=high).order_by("pk"))


class IdRangeSitemap(SiteSitemap):
    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)


class HomeSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["blog:home", "blog:trendlists", "blog:archive"]

    def location(self, name):
        return reverse(name)


class PostSitemap(IdRangeSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Post.objects.live().only("slug", "publish_at", "updated_at")

    def lastmod(self, post):
        return max(post.updated_at, post.publish_at)


class PageSitemap(SiteSitemap):
    changefreq = "yearly"

    def items(self):
        return Page.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, page):
        return page.updated_at


def one_live_post(**match) -> Subquery:
    """The id of any one live post matching `match` (with OuterRef), or NULL.

    Filtering on this instead of EXISTS keeps it a small probe per row (stop at the first
    live post, along the index); PostgreSQL turns an EXISTS into a join over every
    matching post, which for 5,000 tags meant every tagged post."""
    return Subquery(Post.objects.live().filter(**match).order_by().values("pk")[:1])


class TagSitemap(IdRangeSitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return (
            Tag.objects.alias(live_post=one_live_post(tagged_items__tag=OuterRef("pk")))
            .filter(live_post__isnull=False).only("slug")
        )

    def location(self, tag):
        return reverse("blog:tag", args=[tag.slug])


class AuthorSitemap(IdRangeSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            AuthorProfile.objects.alias(live_post=one_live_post(author_id=OuterRef("user_id")))
            .filter(live_post__isnull=False).only("slug", "updated_at")
        )

    def lastmod(self, profile):
        return profile.updated_at


class ArchiveSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.2

    def items(self):
        return [row.month for row in live_months()]  # cached: blog/archive.py

    def location(self, month):
        return reverse("blog:archive-month", args=[month.year, month.month])


class SeriesSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Series.objects.order_by("slug").only("slug")


class TrendSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return [
            *TrendList.objects.order_by("-year").only("year"),
            *Trend.objects.select_related("trend_list").order_by("-trend_list__year", "number"),
        ]


SITEMAPS = {
    "home": HomeSitemap,
    "posts": PostSitemap,
    "pages": PageSitemap,
    "series": SeriesSitemap,
    "trends": TrendSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "archive": ArchiveSitemap,
}


def render_urlset(urls: list[dict]) -> str:
    """A sitemap part as Django's sitemap.xml template writes it, without the template
    engine: a part of 1,000 addresses is written in a fraction of the time."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in urls:
        entry = f"<url><loc>{escape(url['location'])}</loc>"
        lastmod = url["lastmod"]
        if lastmod:
            if isinstance(lastmod, datetime):
                lastmod = timezone.localtime(lastmod)
            entry += f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>"
        if url["changefreq"]:
            entry += f"<changefreq>{escape(url['changefreq'])}</changefreq>"
        if url["priority"]:
            entry += f"<priority>{escape(url['priority'])}</priority>"
        lines.append(entry + "</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)


@require_safe
def sitemap_section(request, section):
    """/sitemap-<section>.xml?p=n: one part."""
    sitemap_class = SITEMAPS.get(section)
    if sitemap_class is None:
        raise Http404(_("Deze sitemap bestaat niet."))
    sitemap = sitemap_class()
    try:
        urls = sitemap.get_urls(page=request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger):
        raise Http404(_("Deze sitemap bestaat niet.")) from None
    response = HttpResponse(render_urlset(urls), content_type="application/xml")
    latest = getattr(sitemap, "latest_lastmod", None)
    if isinstance(latest, datetime):
        response["Last-Modified"] = http_date(latest.timestamp())
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


class IndexEntry:
    def __init__(self, location: str):
        self.location = location
        self.last_mod = None  # optional in the protocol; each part has its own dates


@require_safe
def sitemap_index(request):
    """/sitemap.xml: every part of every section, as absolute URLs on SITE_URL."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        location = absolute_url(reverse("blog:sitemap-section", kwargs={"section": section}))
        pages = sitemap_class().paginator.num_pages
        entries.append(IndexEntry(location))
        entries.extend(IndexEntry(f"{location}?p={page}") for page in range(2, pages + 1))
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries},
                            content_type="application/xml")
