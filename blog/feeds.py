"""RSS 2.0 and Atom feeds. Every feed subclasses LivePostsFeed, which reads Post.objects.live().

- Full content: RSS carries it in <content:encoded> (the description is the excerpt), Atom
  in <content type="html"> (the summary is the excerpt). Relative links and images in the
  content are made absolute, since a feed reader has no page to resolve them against.
- Conditional GET, cheaply: one small query (ids and change times of the items the feed
  would show) gives an ETag and Last-Modified; a matching request gets its 304 before any
  item is loaded or rendered. The ETag changes when an item is added, removed (unpublished,
  or pushed out by a newer one), edited, or its author's profile changes.
- The items are loaded by the ids that query found, as a prepared statement
  (`core.db.prepared`): a feed's seven-table query with its order and limit cost
  PostgreSQL 12–19 ms to plan on every request (0.5 ms to run); by a list of ids the plan
  is the same whichever feed asks, and is made once per connection.
- A tag or author feed with no live posts is a 404, like its page; a series feed may be
  empty (its page announces the schedule before the first part is live).
"""

import hashlib
import re
from contextvars import ContextVar

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _
from taggit.models import Tag

from accounts.models import AuthorProfile
from blog.models import Post, Series
from core.db import prepared
from core.http import absolute_url

FEED_SIZE = 20
CACHE_SECONDS = 300

_RELATIVE_URL = re.compile(r'\b(href|src)="/(?!/)')
_SRCSET = re.compile(r'\bsrcset="([^"]*)"')
# The ids of the items the request's conditional-GET query found, newest first (a feed
# object serves every request, so they cannot live on it).
_shown: ContextVar[list[int] | None] = ContextVar("feed_items", default=None)


def absolutize_html(markup: str) -> str:
    """Site-relative href/src/srcset in stored, sanitised HTML → absolute (for feed readers)."""
    markup = _RELATIVE_URL.sub(lambda m: f'{m.group(1)}="{absolute_url("/")}', markup)

    def fix_srcset(match):
        entries = [entry.strip() for entry in match.group(1).split(",")]
        fixed = [absolute_url(entry) if entry.startswith("/") and not entry.startswith("//")
                 else entry for entry in entries]
        return f'srcset="{", ".join(fixed)}"'

    return _SRCSET.sub(fix_srcset, markup)


class FullContentRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtomFeed(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LivePostsFeed(Feed):
    """The newest live posts; subclasses narrow `posts(obj)` to a tag, author or series."""

    feed_type = FullContentRssFeed
    language = "nl"
    # Feeds for a thing (tag, author, series) are a 404 while it has no live posts.
    require_posts = False

    # --- what the feed is about --------------------------------------------------------------
    def posts(self, obj):
        return Post.objects.live()

    def title(self, obj=None):
        return settings.SITE_NAME

    def page_path(self, obj=None) -> str:
        return reverse("blog:home")

    def feed_path(self, obj=None) -> str:
        return reverse("blog:feed-atom" if self.is_atom else "blog:feed")

    def description(self, obj=None):
        return _("Nieuwe berichten op %(site)s") % {"site": settings.SITE_NAME}

    # --- Feed API ----------------------------------------------------------------------------
    @property
    def is_atom(self) -> bool:
        return issubclass(self.feed_type, Atom1Feed)

    def subtitle(self, obj=None):
        return self.description(obj) if self.is_atom else None

    def link(self, obj=None):
        return absolute_url(self.page_path(obj))

    def feed_url(self, obj=None):
        return absolute_url(self.feed_path(obj))

    def latest(self, obj):
        """The feed's posts, newest first, as many as it shows."""
        return self.posts(obj).order_by("-publish_at", "-pk")[:FEED_SIZE]

    def items(self, obj=None):
        ids = _shown.get()
        if ids is None:  # not through __call__
            ids = list(self.latest(obj).values_list("pk", flat=True))
        with prepared():
            # Still through live(): a post unpublished since the first query drops out.
            found = {post.pk: post for post in
                     Post.objects.live().for_reading().filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_description(self, item):
        return item.summary

    def item_extra_kwargs(self, item):
        parts = []
        if item.featured_image:
            parts.append(
                f'<p><img src="{escape(item.featured_image.url_for(800))}" '
                f'alt="{escape(item.featured_image_alt)}"></p>'
            )
        parts += [item.intro_html, item.body_html]
        return {"content_html": absolutize_html("\n".join(p for p in parts if p))}

    def item_author_name(self, item):
        return item.author.display_name

    def item_author_link(self, item):
        profile = getattr(item.author, "profile", None)
        return absolute_url(profile.get_absolute_url()) if profile else None

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item):
        return [tag.name for tag in item.tag_list]

    def item_guid(self, item):
        return absolute_url(f"/post/{item.pk}")

    item_guid_is_permalink = False

    # --- conditional GET ---------------------------------------------------------------------
    def freshness(self, obj) -> tuple[str, float | None, list[int]]:
        """(ETag, Last-Modified timestamp, the items' ids) of what the feed would show, in
        one query."""
        rows = list(self.latest(obj).values_list(
            "pk", "updated_at", "publish_at", "author__profile__updated_at"))
        if not rows and self.require_posts:
            raise Http404(_("Hier zijn (nog) geen berichten."))
        key = repr((type(self).__name__, getattr(obj, "pk", None), settings.SITE_URL, rows))
        etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
        stamps = [stamp for row in rows for stamp in row[1:] if stamp is not None]
        return etag, (max(stamps).timestamp() if stamps else None), [row[0] for row in rows]

    def __call__(self, request, *args, **kwargs):
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404(_("Deze feed bestaat niet.")) from None
        etag, last_modified, ids = self.freshness(obj)
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            shown = _shown.set(ids)
            try:
                feed = self.get_feed(obj, request)
            finally:
                _shown.reset(shown)
            response = HttpResponse(content_type=feed.content_type)
            feed.write(response, "utf-8")
        response.headers["ETag"] = etag
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response


class LatestPostsFeed(LivePostsFeed):
    pass


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = FullContentAtomFeed


class TagFeed(LivePostsFeed):
    require_posts = True

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return _("%(site)s: tag %(tag)s") % {"site": settings.SITE_NAME, "tag": obj.name}

    def description(self, obj=None):
        return _("Berichten met de tag “%(tag)s” op %(site)s") % {
            "tag": obj.name, "site": settings.SITE_NAME,
        }

    def page_path(self, obj=None):
        return reverse("blog:tag", args=[obj.slug])

    def feed_path(self, obj=None):
        return reverse("blog:tag-feed-atom" if self.is_atom else "blog:tag-feed", args=[obj.slug])

    def posts(self, obj):
        return Post.objects.live().filter(tags=obj)


class TagAtomFeed(TagFeed):
    feed_type = FullContentAtomFeed


class AuthorFeed(LivePostsFeed):
    require_posts = True

    def get_object(self, request, slug):
        return get_object_or_404(AuthorProfile, slug=slug)

    def title(self, obj=None):
        return _("%(site)s: berichten van %(name)s") % {
            "site": settings.SITE_NAME, "name": obj.display_name,
        }

    def description(self, obj=None):
        return _("Berichten van %(name)s op %(site)s") % {
            "name": obj.display_name, "site": settings.SITE_NAME,
        }

    def page_path(self, obj=None):
        return obj.get_absolute_url()

    def feed_path(self, obj=None):
        return reverse("blog:author-feed-atom" if self.is_atom else "blog:author-feed",
                       args=[obj.slug])

    def posts(self, obj):
        return Post.objects.live().filter(author_id=obj.user_id)


class AuthorAtomFeed(AuthorFeed):
    feed_type = FullContentAtomFeed


class SeriesFeed(LivePostsFeed):
    # A series is public before its first part is: readers may subscribe to it early.

    def get_object(self, request, slug):
        return get_object_or_404(Series, slug=slug)

    def title(self, obj=None):
        return _("%(site)s: reeks %(title)s") % {"site": settings.SITE_NAME, "title": obj.title}

    def description(self, obj=None):
        return _("De delen van de reeks “%(title)s” op %(site)s") % {
            "title": obj.title, "site": settings.SITE_NAME,
        }

    def page_path(self, obj=None):
        return obj.get_absolute_url()

    def feed_path(self, obj=None):
        return reverse("blog:series-feed-atom" if self.is_atom else "blog:series-feed",
                       args=[obj.slug])

    def posts(self, obj):
        return Post.objects.live().filter(series=obj)


class SeriesAtomFeed(SeriesFeed):
    feed_type = FullContentAtomFeed
