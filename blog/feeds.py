"""RSS and Atom feeds. Every feed subclasses LivePostsFeed, which reads Post.objects.live()."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from taggit.models import Tag

from accounts.models import AuthorProfile
from blog.models import Post, Series

FEED_SIZE = 20


class LivePostsFeed(Feed):
    description_template = None

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return "/"

    def description(self, obj=None):
        return _("Nieuwe berichten op %(site)s") % {"site": settings.SITE_NAME}

    def posts(self, obj):
        return Post.objects.live()

    def items(self, obj=None):
        return self.posts(obj).for_listing().order_by("-publish_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro_html + item.body_html

    def item_author_name(self, item):
        return item.author.display_name

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_guid(self, item):
        return f"{settings.SITE_URL}/post/{item.pk}"

    item_guid_is_permalink = False


class LatestPostsFeed(LivePostsFeed):
    pass


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed
    subtitle = LivePostsFeed.description


class TagFeed(LivePostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return _("%(site)s: tag %(tag)s") % {"site": settings.SITE_NAME, "tag": obj.name}

    def link(self, obj=None):
        return f"/tag/{obj.slug}/"

    def posts(self, obj):
        return Post.objects.live().filter(tags=obj)


class AuthorFeed(LivePostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(AuthorProfile, slug=slug)

    def title(self, obj=None):
        return _("%(site)s: berichten van %(name)s") % {
            "site": settings.SITE_NAME, "name": obj.display_name
        }

    def link(self, obj=None):
        return obj.get_absolute_url()

    def posts(self, obj):
        return Post.objects.live().filter(author_id=obj.user_id)


class SeriesFeed(LivePostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Series, slug=slug)

    def title(self, obj=None):
        return _("%(site)s: reeks %(title)s") % {"site": settings.SITE_NAME, "title": obj.title}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def posts(self, obj):
        return Post.objects.live().filter(series=obj)
