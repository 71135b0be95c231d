"""The reader's site. Every view here reaches posts only through Post.objects.live()."""

from django.urls import path, register_converter

from blog import feeds
from blog.sitemaps import sitemap_index, sitemap_section
from blog.views import public
from core.pagecache import public_page


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
    path("", public_page(public.HomeView.as_view()), name="home"),
    # The month is loose here: a post found by its slug redirects to its canonical address.
    path("<yyyy:year>/<str:month>/<slug:slug>/", public_page(public.PostDetailView.as_view()), name="post"),
    path("tag/<slug:slug>/", public_page(public.TagView.as_view()), name="tag"),
    path("tag/<slug:slug>/feed/", public_page(feeds.TagFeed()), name="tag-feed"),
    path("tag/<slug:slug>/feed/atom/", public_page(feeds.TagAtomFeed()), name="tag-feed-atom"),
    path("auteurs/<slug:slug>/", public_page(public.AuthorView.as_view()), name="author"),
    path("auteurs/<slug:slug>/feed/", public_page(feeds.AuthorFeed()), name="author-feed"),
    path("auteurs/<slug:slug>/feed/atom/", public_page(feeds.AuthorAtomFeed()), name="author-feed-atom"),
    path("archief/", public_page(public.ArchiveIndexView.as_view()), name="archive"),
    path("archief/<yyyy:year>/", public_page(public.YearArchiveView.as_view()), name="archive-year"),
    path("archief/<yyyy:year>/<mm:month>/", public_page(public.MonthArchiveView.as_view()),
         name="archive-month"),
    path("trends/", public_page(public.TrendListIndexView.as_view()), name="trendlists"),
    path("trends/<yyyy:year>/", public_page(public.TrendListView.as_view()), name="trendlist"),
    path("trends/<yyyy:year>/<int:number>/", public_page(public.TrendView.as_view()), name="trend"),
    path("reeks/<slug:slug>/", public_page(public.SeriesView.as_view()), name="series"),
    path("reeks/<slug:slug>/feed/", public_page(feeds.SeriesFeed()), name="series-feed"),
    path("reeks/<slug:slug>/feed/atom/", public_page(feeds.SeriesAtomFeed()), name="series-feed-atom"),
    path("zoeken/", public.SearchView.as_view(), name="search"),
    path("feed/", public_page(feeds.LatestPostsFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.LatestPostsAtomFeed()), name="feed-atom"),
    path("pagina/<slug:slug>/", public_page(public.PageView.as_view()), name="page"),
    path("sitemap.xml", public_page(sitemap_index), name="sitemap"),
    path("sitemap-<slug:section>.xml", public_page(sitemap_section), name="sitemap-section"),
    path("robots.txt", public.robots_txt, name="robots"),
]
