"""The reader's site. Every view here reaches posts only through Post.objects.live()."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from blog import feeds
from blog.sitemaps import SITEMAPS
from blog.views import public

app_name = "blog"

urlpatterns = [
    path("", public.HomeView.as_view(), name="home"),
    path("<int:year>/<str:month>/<slug:slug>/", public.PostDetailView.as_view(), name="post"),
    path("tag/<slug:slug>/", public.TagView.as_view(), name="tag"),
    path("tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("auteurs/<slug:slug>/", public.AuthorView.as_view(), name="author"),
    path("auteurs/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("archief/<int:year>/", public.YearArchiveView.as_view(), name="archive-year"),
    path("archief/<int:year>/<int:month>/", public.MonthArchiveView.as_view(),
         name="archive-month"),
    path("trends/", public.TrendListIndexView.as_view(), name="trendlists"),
    path("trends/<int:year>/", public.TrendListView.as_view(), name="trendlist"),
    path("trends/<int:year>/<int:number>/", public.TrendView.as_view(), name="trend"),
    path("reeks/<slug:slug>/", public.SeriesView.as_view(), name="series"),
    path("reeks/<slug:slug>/feed/", feeds.SeriesFeed(), name="series-feed"),
    path("zoeken/", public.SearchView.as_view(), name="search"),
    path("feed/", feeds.LatestPostsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestPostsAtomFeed(), name="feed-atom"),
    path("pagina/<slug:slug>/", public.PageView.as_view(), name="page"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", public.robots_txt, name="robots"),
]
