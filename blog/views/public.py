"""The reader's pages. Posts come only from Post.objects.live(); views stay thin."""

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from accounts.models import AuthorProfile
from blog.models import Page, Post, Series
from trends.models import Trend, TrendList


class LivePostListMixin:
    """A paginated list of live posts (10 a page, ?pagina=N)."""

    paginate_by = settings.POSTS_PER_PAGE
    page_kwarg = "pagina"
    context_object_name = "posts"

    def live_posts(self):
        return Post.objects.live().for_listing()

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            raise Http404(_("Deze pagina bestaat niet.")) from None


class HomeView(LivePostListMixin, ListView):
    template_name = "blog/home.html"

    def get_queryset(self):
        return self.live_posts()


class PostDetailView(DetailView):
    template_name = "blog/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        return get_object_or_404(Post.objects.live().for_listing(), slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            return redirect(canonical, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        if post.series_id:
            context.update(series_navigation(post))
        return context


def series_navigation(post: Post) -> dict:
    """'deel 3 van 11' with previous/next among the live posts of the series (one query)."""
    parts = list(
        Post.objects.live()
        .filter(series_id=post.series_id)
        .order_by("series_position", "publish_at")
        .only("pk", "title", "slug", "publish_at", "created_at", "series_position")
    )
    total = Post.objects.announced().filter(series_id=post.series_id).count()
    index = next((i for i, part in enumerate(parts) if part.pk == post.pk), None)
    if index is None:
        return {}
    return {
        "series_part": post.series_position or index + 1,
        "series_total": max(total, len(parts)),
        "series_previous": parts[index - 1] if index > 0 else None,
        "series_next": parts[index + 1] if index + 1 < len(parts) else None,
    }


class TagView(LivePostListMixin, ListView):
    template_name = "blog/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return self.live_posts().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(LivePostListMixin, ListView):
    template_name = "blog/author_detail.html"

    def get_queryset(self):
        self.profile = get_object_or_404(
            AuthorProfile.objects.select_related("user"), slug=self.kwargs["slug"]
        )
        posts = self.live_posts().filter(author_id=self.profile.user_id)
        if not posts.exists():
            raise Http404(_("Deze auteur heeft nog niets gepubliceerd."))
        return posts

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, **kwargs)


class YearArchiveView(LivePostListMixin, ListView):
    template_name = "blog/archive.html"

    def get_queryset(self):
        year = self.kwargs["year"]
        return self.live_posts().filter(publish_at__year=year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(year=self.kwargs["year"], **kwargs)
        months = (
            Post.objects.live()
            .filter(publish_at__year=self.kwargs["year"])
            .datetimes("publish_at", "month")
        )
        context["months"] = list(months)
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object_list.exists():
            raise Http404(_("Geen berichten in dit jaar."))
        return response


class MonthArchiveView(LivePostListMixin, ListView):
    template_name = "blog/archive.html"

    def get_queryset(self):
        if not 1 <= self.kwargs["month"] <= 12:
            raise Http404
        return self.live_posts().filter(
            publish_at__year=self.kwargs["year"], publish_at__month=self.kwargs["month"]
        )

    def get_context_data(self, **kwargs):
        first = timezone.datetime(self.kwargs["year"], self.kwargs["month"], 1)
        return super().get_context_data(year=self.kwargs["year"], month=first, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object_list.exists():
            raise Http404(_("Geen berichten in deze maand."))
        return response


class TrendListIndexView(ListView):
    template_name = "trends/trendlist_index.html"
    context_object_name = "trend_lists"

    def get_queryset(self):
        return TrendList.objects.annotate(trend_count=Count("trends")).order_by("-year")


def trends_with_live_posts(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "posts",
            queryset=Post.objects.live().select_related("author__profile").order_by("publish_at"),
            to_attr="live_posts",
        )
    )


class TrendListView(DetailView):
    template_name = "trends/trendlist_detail.html"
    context_object_name = "trend_list"

    def get_object(self, queryset=None):
        return get_object_or_404(TrendList, year=self.kwargs["year"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trends = list(trends_with_live_posts(self.object.trends.order_by("number")))
        context["trends"] = trends
        context["scoreboard"] = {
            outcome: sum(1 for t in trends if t.outcome == outcome)
            for outcome in Trend.Outcome.values
        }
        context["outcomes"] = Trend.Outcome
        return context


class TrendView(DetailView):
    template_name = "trends/trend_detail.html"
    context_object_name = "trend"

    def get_object(self, queryset=None):
        return get_object_or_404(
            trends_with_live_posts(Trend.objects.select_related("trend_list")),
            trend_list__year=self.kwargs["year"],
            number=self.kwargs["number"],
        )


class SeriesView(DetailView):
    """The series schedule: live posts linked, scheduled ones announced by date only."""

    template_name = "blog/series_detail.html"
    context_object_name = "series"

    def get_object(self, queryset=None):
        return get_object_or_404(Series, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        entries = list(
            Post.objects.announced()
            .filter(series=self.object)
            .select_related("author__profile")
            .order_by("series_position", "publish_at")
        )
        context["entries"] = [{"post": p, "is_live": p.is_live_at(now)} for p in entries]
        return context


class SearchView(LivePostListMixin, ListView):
    template_name = "blog/search.html"

    def get_queryset(self):
        self.query = " ".join(self.request.GET.get("q", "").split())[:200]
        if not self.query:
            return Post.objects.none()
        posts = self.live_posts()
        for word in self.query.split()[:8]:
            posts = posts.filter(
                Q(title__icontains=word)
                | Q(intro__icontains=word)
                | Q(body_markdown__icontains=word)
                | Q(body_html__icontains=word)
                | Q(tags__name__icontains=word)
            )
        return posts.distinct()

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class PageView(DetailView):
    template_name = "blog/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        return get_object_or_404(Page.objects.published(), slug=self.kwargs["slug"])


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /beheer/",
        "Disallow: /schrijven/",
        "Disallow: /account/",
        "Disallow: /voorbeeld/",
        "Disallow: /uitnodiging/",
        "Disallow: /zoeken/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
