"""The reader's pages. Posts come only from Post.objects.live(); views stay thin.

Lists share `LivePostListMixin`: 10 posts a page at `?pagina=N` (`?pagina=1` redirects to
the bare address, anything that is not a page number is a 404), the other query
parameters kept in the page links, and a 404 for a tag, author or month without live posts
(an empty page for a tag used only by drafts would give the draft away). Pages come from
`core.paging.ListPaginator` (no count over the whole list, no OFFSET through joins); the
home page and the archives take their counts from the cached month list (blog/archive.py).
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.paginator import InvalidPage
from django.db.models import BigIntegerField, DateTimeField, Prefetch, QuerySet, SlugField
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView, dates
from taggit.models import Tag

from accounts.models import AuthorProfile
from blog import cards
from blog.archive import live_count, live_months
from blog.models import Page, Post, Series
from blog.search import clean_query, search_posts
from core import pagecache
from core.db import Param, Statement, prepared
from core.http import absolute_url
from core.paging import ListPaginator
from trends.models import Trend, TrendList

PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")  # ASCII digits only: int() accepts "١" too
RSS = "application/rss+xml"
ATOM = "application/atom+xml"


def feed_link(title: str, url: str, kind: str = RSS) -> dict:
    """One <link rel="alternate"> for feed autodiscovery in the page's <head>."""
    label = "Atom" if kind == ATOM else "RSS"
    return {"title": f"{title} ({label})", "url": url, "type": kind}


class LivePostListMixin:
    """A paginated list of live posts (10 a page, ?pagina=N), newest first."""

    paginate_by = settings.POSTS_PER_PAGE
    page_kwarg = "pagina"
    context_object_name = "posts"
    # A list that exists only because it has posts (tag, author, month) is a 404 when empty.
    require_posts = False

    @cached_property
    def months(self):
        """The cached month list (blog/archive.py), read once per request: the count, the
        seek and the archive links then agree, and cost one cache call."""
        return live_months()

    def live_posts(self):
        # The order of the indexes on Post (publish_at, created_at, id): pages read from them.
        return Post.objects.live().for_listing().order_by("-publish_at", "-created_at", "-pk")

    def page_rows(self, ids):
        """A page's post cards, by id: the list's filters (a tag, an author) chose the ids."""
        return cards.for_page(self.live_posts(), ids)

    def known_count(self) -> int | None:
        """The number of posts in the list when it is known without counting them."""
        return None

    def counted(self):
        """A `ListPaginator` `counted(cap)`: the list's bounded count from a cache, or None."""
        return None

    def seek(self):
        """A ListPaginator `seek` for this list, when its months' counts are known."""
        return None

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True,
                      **kwargs):
        if isinstance(queryset, QuerySet):
            return ListPaginator(queryset, per_page, count=self.known_count(),
                                 allow_empty_first_page=allow_empty_first_page,
                                 seek=self.seek(), rows=self.page_rows,
                                 counted=self.counted())
        return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page,
                                     **kwargs)

    def get(self, request, *args, **kwargs):
        raw = request.GET.get(self.page_kwarg)
        if raw is not None:
            if raw in ("", "1"):
                return redirect(self.page_url(1), permanent=True)
            if not PAGE_NUMBER.fullmatch(raw):
                raise Http404(_("Deze pagina bestaat niet."))
        return super().get(request, *args, **kwargs)

    def page_number(self) -> int:
        return int(self.request.GET.get(self.page_kwarg) or 1)  # checked in get()

    def page_url(self, number: int) -> str:
        """This list's address at page `number`, keeping the other parameters (e.g. q)."""
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        if number > 1:
            params[self.page_kwarg] = str(number)
        query = params.urlencode()
        return f"{self.request.path}?{query}" if query else self.request.path

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, allow_empty_first_page=not self.require_posts
        )
        try:
            page = paginator.page(self.page_number())
        except InvalidPage:  # beyond the last page, or nothing at all to show
            raise Http404(_("Deze pagina bestaat niet.")) from None
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_number"] = page.number
        # Canonical: the path and page number only (no tracking or other parameters).
        context["canonical_path"] = self.request.path + (
            f"?{self.page_kwarg}={page.number}" if page.number > 1 else ""
        )
        if page.has_previous():
            context["previous_page_url"] = self.page_url(page.previous_page_number())
        if page.has_next():
            context["next_page_url"] = self.page_url(page.next_page_number())
        return context


class HomeView(LivePostListMixin, ListView):
    template_name = "blog/home.html"

    def get_queryset(self):
        return self.live_posts()

    def page_rows(self, ids):
        # Every live post, newest first: the same plan serves page 1 and page 1,000.
        with prepared():
            return super().page_rows(ids)

    def known_count(self):
        return self.months.total

    def seek(self):
        return self.months.seek

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_number"] == 1:
            context["archive_years"] = self.months.years()
            context["pages"] = Page.objects.published().only("title", "slug")
        return context


# --- one post -------------------------------------------------------------------------------

def series_navigation(post: Post, now=None) -> dict:
    """'deel 3 van 11' with links to the neighbouring live parts (one query).

    The parts are the series' announced posts (live or scheduled) in `series_position`
    order. A scheduled next part is announced by its date only: its title belongs on the
    series page, not here. Works for a post that is not live itself (the signed preview).
    """
    if not post.series_id:
        return {}
    now = now or timezone.now()
    others = list(
        Post.objects.series_parts(post.series_id)
        .exclude(pk=post.pk)
        .only("pk", "title", "slug", "status", "publish_at", "created_at", "series_position")
    )

    def order(part):
        return (part.series_position is None, part.series_position or 0,
                part.publish_at or now, part.pk)

    parts = sorted([*others, post], key=order)
    index = parts.index(post)
    before = [p for p in parts[:index] if p.is_live_at(now)]
    after = parts[index + 1:]
    next_live = next((p for p in after if p.is_live_at(now)), None)
    upcoming = None if next_live or not after else after[0]
    positions = [p.series_position for p in parts if p.series_position]
    return {
        "series_part": post.series_position or index + 1,
        "series_total": max(len(parts), *positions) if positions else len(parts),
        "series_previous": before[-1] if before else None,
        "series_next": next_live,
        "series_upcoming_at": upcoming.publish_at if upcoming else None,
    }


def post_page_context(post: Post, now=None) -> dict:
    """What templates/blog/post_detail.html needs besides `post` (also for the preview)."""
    return {
        "post": post,
        "canonical_path": post.get_absolute_url(),
        **series_navigation(post, now=now),
    }


# A live post by its unique slug, and its tags: one SQL and one plan fit every post
# (core.db.Statement). What for_reading() gives, its tags in alphabetical order.
LIVE_POST_BY_SLUG = Statement(lambda: (
    Post.objects.live(now=Param("now", DateTimeField())).for_reading().prefetch_related(None)
    .filter(slug=Param("slug", SlugField()))[:1]
))
TAGS_OF_POST = Statement(lambda: (
    Tag.objects.filter(tagged_posts__content_object=Param("post", BigIntegerField()))
    .order_by("name")
))


class PostDetailView(DetailView):
    template_name = "blog/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        found = LIVE_POST_BY_SLUG(now=timezone.now(), slug=self.kwargs["slug"])
        if not found:
            raise Http404(_("Deze pagina bestaat niet."))
        post = found[0]
        post.prefetched_tags = TAGS_OF_POST(post=post.pk)
        return post

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            return redirect(canonical, permanent=True)
        # The comment form goes when comments close by themselves: no copy outlives that.
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        if days and self.object.allow_comments and self.object.comments_open():
            pagecache.valid_until(request, self.object.publish_at + timedelta(days=days))
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(post_page_context(self.object))
        return context


# --- tag, author, archives ------------------------------------------------------------------

class TagView(LivePostListMixin, ListView):
    template_name = "blog/tag_detail.html"
    require_posts = True

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return self.live_posts().filter(tags=self.tag)

    def counted(self):
        # A tag on a third of the blog costs milliseconds to count, even up to the cap.
        return lambda cap: live_count(f"tag:{self.tag.pk}",
                                      self.live_posts().filter(tags=self.tag), cap)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(tag=self.tag, **kwargs)
        title = _("%(site)s: tag %(tag)s") % {"site": settings.SITE_NAME, "tag": self.tag.name}
        context["page_feeds"] = [
            feed_link(title, reverse("blog:tag-feed", args=[self.tag.slug])),
            feed_link(title, reverse("blog:tag-feed-atom", args=[self.tag.slug]), ATOM),
        ]
        return context


class AuthorView(LivePostListMixin, ListView):
    template_name = "blog/author_detail.html"
    require_posts = True

    def get_queryset(self):
        self.profile = get_object_or_404(
            AuthorProfile.objects.select_related("user"), slug=self.kwargs["slug"]
        )
        return self.live_posts().filter(author_id=self.profile.user_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(profile=self.profile, **kwargs)
        title = _("%(site)s: berichten van %(name)s") % {
            "site": settings.SITE_NAME, "name": self.profile.display_name,
        }
        context["page_feeds"] = [
            feed_link(title, reverse("blog:author-feed", args=[self.profile.slug])),
            feed_link(title, reverse("blog:author-feed-atom", args=[self.profile.slug]), ATOM),
        ]
        return context


class ArchiveIndexView(TemplateView):
    """Every month with live posts, newest first, grouped by year (from the cache)."""

    template_name = "blog/archive_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years: list[dict] = []
        for row in live_months():
            if not years or years[-1]["year"] != row.year:
                years.append({"year": row.year, "months": [], "count": 0})
            years[-1]["months"].append(row)
            years[-1]["count"] += row.count
        context["years"] = years
        context["canonical_path"] = reverse("blog:archive")
        return context


class LiveDateArchiveMixin(LivePostListMixin):
    """Django's date archives over live posts, by Amsterdam calendar (USE_TZ): an empty year
    or month is a 404, and the list pages like every other list. Whether the year or month
    has posts, how many, and the year's months come from the cached month list."""

    template_name = "blog/archive.html"
    date_field = "publish_at"
    allow_empty = False
    allow_future = False  # live() already leaves scheduled posts out; this says it twice

    def get_queryset(self):
        return self.live_posts()

    def archive_month(self) -> int | None:
        return None

    def known_count(self):
        return self.months.count_for(int(self.get_year()), self.archive_month())

    def get_dated_queryset(self, **lookup):
        if not self.known_count():
            raise Http404(_("Deze pagina bestaat niet."))
        return self.get_queryset().filter(**lookup)

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # Only the year page shows its list (of months, oldest first).
        months = self.months.in_year(int(self.get_year()))
        return [row.month for row in reversed(months)]

    # The pages link no neighbouring year or month (the year lists its months, /archief/
    # every month); Django would look each one up (a query, two with for_listing).
    def get_next_year(self, date):
        return None

    get_previous_year = get_next_month = get_previous_month = get_next_year


class YearArchiveView(LiveDateArchiveMixin, dates.YearArchiveView):
    """The year's posts, and its months (`date_list`)."""

    make_object_list = True

    def seek(self):
        return self.months.in_year(int(self.get_year())).seek


class MonthArchiveView(LiveDateArchiveMixin, dates.MonthArchiveView):
    month_format = "%m"  # the URL's month is a number (01–12)

    def archive_month(self):
        return int(self.get_month())


# --- trends ---------------------------------------------------------------------------------

class TrendListIndexView(ListView):
    template_name = "trends/trendlist_index.html"
    context_object_name = "trend_lists"

    def get_queryset(self):
        return TrendList.objects.with_scoreboard().order_by("-year")

    def get_context_data(self, **kwargs):
        return super().get_context_data(canonical_path=reverse("blog:trendlists"), **kwargs)


def live_posts_prefetch(**extra) -> Prefetch:
    """A trend's live posts, oldest first, as `trend.live_posts`."""
    return Prefetch(
        "posts",
        queryset=Post.objects.live().for_listing().order_by("publish_at", "pk"),
        to_attr="live_posts",
        **extra,
    )


class TrendListView(DetailView):
    template_name = "trends/trendlist_detail.html"
    context_object_name = "trend_list"

    def get_object(self, queryset=None):
        return get_object_or_404(TrendList.objects.with_scoreboard(), year=self.kwargs["year"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trends = list(self.object.trends.order_by("number").prefetch_related(
            Prefetch(
                "posts",
                queryset=Post.objects.live()
                .select_related("author__profile")
                .only("pk", "title", "slug", "publish_at", "created_at", "trend_id",
                      "author__username", "author__first_name", "author__last_name",
                      "author__profile__display_name")
                .order_by("publish_at", "pk"),
                to_attr="live_posts",
            )
        ))
        context["trends"] = trends
        context["canonical_path"] = self.object.get_absolute_url()
        return context


class TrendView(DetailView):
    template_name = "trends/trend_detail.html"
    context_object_name = "trend"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Trend.objects.select_related("trend_list").prefetch_related(live_posts_prefetch()),
            trend_list__year=self.kwargs["year"],
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trend = self.object
        siblings = list(
            Trend.objects.filter(trend_list_id=trend.trend_list_id,
                                 number__in=[trend.number - 1, trend.number + 1])
            .select_related("trend_list")
        )
        context["previous_trend"] = next((t for t in siblings if t.number < trend.number), None)
        context["next_trend"] = next((t for t in siblings if t.number > trend.number), None)
        context["canonical_path"] = trend.get_absolute_url()
        return context


# --- series ---------------------------------------------------------------------------------

class SeriesView(DetailView):
    """The series schedule: live posts linked; scheduled ones named with their date only."""

    template_name = "blog/series_detail.html"
    context_object_name = "series"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Series.objects.select_related("trend_list"), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        # Only what an announcement may show of a scheduled post: never its text.
        announced = (
            Post.objects.series_parts(self.object)
            .select_related("author__profile")
            .only("pk", "title", "slug", "status", "publish_at", "created_at",
                  "series_position", "author__username", "author__first_name",
                  "author__last_name", "author__profile__display_name",
                  "author__profile__slug")
        )
        entries = [{"post": p, "is_live": p.is_live_at(now)} for p in announced]
        context["entries"] = entries
        context["live_count"] = sum(1 for e in entries if e["is_live"])
        context["canonical_path"] = self.object.get_absolute_url()
        title = _("%(site)s: reeks %(title)s") % {
            "site": settings.SITE_NAME, "title": self.object.title,
        }
        context["page_feeds"] = [
            feed_link(title, reverse("blog:series-feed", args=[self.object.slug])),
            feed_link(title, reverse("blog:series-feed-atom", args=[self.object.slug]), ATOM),
        ]
        return context


# --- search and static pages ----------------------------------------------------------------

class SearchView(LivePostListMixin, ListView):
    template_name = "blog/search.html"

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q"))
        # Ranked ids of a bounded number of matches; the page's posts are loaded by slicing.
        return search_posts(Post.objects.live(), self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query=self.query, capped=self.object_list.capped,
            max_results=self.object_list.max_results,
            **kwargs,
        )


class PageView(DetailView):
    template_name = "blog/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        return get_object_or_404(Page.objects.published(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(canonical_path=self.object.get_absolute_url(), **kwargs)


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /beheer/",
        "Disallow: /schrijven/",
        "Disallow: /account/",
        "Disallow: /voorbeeld/",
        "Disallow: /uitnodiging/",
        "Disallow: /zoeken/",
        "Disallow: /formulier/",
        "",
        f"Sitemap: {absolute_url(reverse('blog:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
