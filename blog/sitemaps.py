from django.contrib.sitemaps import Sitemap

from blog.models import Page, Post


class PostSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Post.objects.live().order_by("-publish_at").only(
            "slug", "publish_at", "created_at", "updated_at"
        )

    def lastmod(self, post):
        return post.updated_at


class PageSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Page.objects.published().only("slug", "updated_at")

    def lastmod(self, page):
        return page.updated_at


SITEMAPS = {"posts": PostSitemap, "pages": PageSitemap}
