"""The sitemap: live posts and the public pages around them, on the SITE_URL host.

Only what a reader can open is listed: live posts, published pages, and tags, authors and
archive months that have live posts (their pages are a 404 otherwise).
"""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models.functions import TruncMonth
from django.urls import reverse
from taggit.models import Tag

from accounts.models import AuthorProfile
from blog.models import Page, Post, Series
from core.http import absolute_url
from trends.models import Trend, TrendList


class SiteSitemap(Sitemap):
    """Absolute URLs on SITE_URL, whatever host the sitemap was requested on.

    Django's Sitemap joins `protocol://domain` and the path itself, so both halves are read
    from the site root as `core.http.absolute_url` spells it.
    """

    def get_protocol(self, protocol=None):
        return urlsplit(absolute_url("/")).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(absolute_url("/"))
        return parts.netloc + parts.path.rstrip("/")


class HomeSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["blog:home", "blog:trendlists", "blog:archive"]

    def location(self, name):
        return reverse(name)


class PostSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Post.objects.live().order_by("-publish_at").only(
            "slug", "publish_at", "created_at", "updated_at"
        )

    def lastmod(self, post):
        return max(post.updated_at, post.publish_at)


class PageSitemap(SiteSitemap):
    changefreq = "yearly"

    def items(self):
        return Page.objects.published().only("slug", "updated_at")

    def lastmod(self, page):
        return page.updated_at


class TagSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return (
            Tag.objects.filter(post__in=Post.objects.live())
            .distinct()
            .order_by("slug")
            .only("slug")
        )

    def location(self, tag):
        return reverse("blog:tag", args=[tag.slug])


class AuthorSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            AuthorProfile.objects.filter(user__posts__in=Post.objects.live())
            .distinct()
            .order_by("slug")
            .only("slug", "updated_at")
        )

    def lastmod(self, profile):
        return profile.updated_at


class ArchiveSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.2

    def items(self):
        return list(
            Post.objects.live()
            .annotate(month=TruncMonth("publish_at"))
            .values_list("month", flat=True)
            .distinct()
            .order_by("-month")
        )

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
