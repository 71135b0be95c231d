"""The comments feed at /reacties/feed/: approved comments on live posts, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.translation import gettext as _

from comments.models import Comment
from core.http import absolute_url

FEED_SIZE = 30


class LatestCommentsFeed(Feed):
    def title(self):
        return _("Reacties op %(site)s") % {"site": settings.SITE_NAME}

    def link(self):
        return "/"

    def description(self):
        return _("De nieuwste reacties van lezers op %(site)s") % {"site": settings.SITE_NAME}

    def items(self):
        return (
            Comment.objects.public()
            .select_related("post")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return _("%(name)s over “%(title)s”") % {"name": item.name, "title": item.post.title}

    def item_description(self, item):
        return item.body_html  # sanitised on save (blog.content.plain_text_to_html)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        return item.name

    def item_pubdate(self, item):
        return item.created_at

    def item_guid(self, item):
        return absolute_url(f"/reactie/{item.pk}")

    item_guid_is_permalink = False
