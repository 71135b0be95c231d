"""The reader's site. Every view here reaches posts only through Post.objects.live()."""

from django.urls import path, register_converter

from blog import feeds
from blog.sitemaps import sitemap_index, sitemap_section
from blog.views import public


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter:
    """01–12 only: /archief/2010/12/, the same two digits as in post addresses."""

    regex = "0[1-9]|1[0-2]"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

app_name = "blog"

urlpatterns = [
    path("", public.HomeView.as_view(), name="home"),
    # The month is loose here: a post found by its slug redirects to its canonical address.
    path("<yyyy:year>/<str:month>/<slug:slug>/", public.PostDetailView.as_view(), name="post"),
    path("tag/<slug:slug>/", public.TagView.as_view(), name="tag"),
    path("tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("tag/<slug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("auteurs/<slug:slug>/", public.AuthorView.as_view(), name="author"),
    path("auteurs/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("auteurs/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"),
    path("archief/", public.ArchiveIndexView.as_view(), name="archive"),
    path("archief/<yyyy:year>/", public.YearArchiveView.as_view(), name="archive-year"),
    path("archief/<yyyy:year>/<mm:month>/", public.MonthArchiveView.as_view(),
         name="archive-month"),
    path("trends/", public.TrendListIndexView.as_view(), name="trendlists"),
    path("trends/<yyyy:year>/", public.TrendListView.as_view(), name="trendlist"),
    path("trends/<yyyy:year>/<int:number>/", public.TrendView.as_view(), name="trend"),
    path("reeks/<slug:slug>/", public.SeriesView.as_view(), name="series"),
    path("reeks/<slug:slug>/feed/", feeds.SeriesFeed(), name="series-feed"),
    path("reeks/<slug:slug>/feed/atom/", feeds.SeriesAtomFeed(), name="series-feed-atom"),
    path("zoeken/", public.SearchView.as_view(), name="search"),
    path("feed/", feeds.LatestPostsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestPostsAtomFeed(), name="feed-atom"),
    path("pagina/<slug:slug>/", public.PageView.as_view(), name="page"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", public.robots_txt, name="robots"),
]
