"""The comments feeds: approved comments on live posts, newest first.

- `/reacties/feed/`: the whole site's;
- `/<yyyy>/<mm>/<slug>/reacties/feed/`: one post's (the post page links it in its <head>).
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blog.models import Post
from comments.models import Comment
from core.http import absolute_url

FEED_SIZE = 30


def post_feed_kwargs(post: Post) -> dict:
    """The URL arguments of a post's comments feed: its own address's year, month and slug."""
    when = timezone.localtime(post.publish_at or post.created_at)
    return {"year": f"{when.year:04d}", "month": f"{when.month:02d}", "slug": post.slug}


class CommentsFeed(Feed):
    def item_title(self, item):
        return _("%(name)s over “%(title)s”") % {"name": item.name, "title": item.post.title}

    def item_description(self, item):
        return item.body_html  # sanitised on save (core.content.plain_text_to_html)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        return item.name

    def item_pubdate(self, item):
        return item.created_at

    def item_guid(self, item):
        return absolute_url(f"/reactie/{item.pk}")

    item_guid_is_permalink = False


class LatestCommentsFeed(CommentsFeed):
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


class PostCommentsFeed(CommentsFeed):
    """One live post's approved comments, newest first (a 404 for a post that is not live)."""

    def __call__(self, request, *args, **kwargs):
        post = self.get_object(request, *args, **kwargs)
        canonical = reverse("comments:post-feed", kwargs=post_feed_kwargs(post))
        if request.path != canonical:
            return HttpResponsePermanentRedirect(canonical)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, year, month, slug):
        # Kept on the request (the feed object serves every request): one query, not two.
        if getattr(request, "_commented_post", None) is None:
            request._commented_post = get_object_or_404(Post.objects.live(), slug=slug)
        return request._commented_post

    def title(self, post):
        return _("Reacties op “%(title)s”") % {"title": post.title}

    def link(self, post):
        return absolute_url(post.get_absolute_url() + "#reacties")

    def description(self, post):
        return _("De reacties van lezers op “%(title)s” op %(site)s") % {
            "title": post.title, "site": settings.SITE_NAME,
        }

    def items(self, post):
        if post is None:
            raise Http404
        comments = list(
            post.comments.approved().order_by("-created_at", "-pk")[:FEED_SIZE]
        )
        for comment in comments:
            comment.post = post  # item_title and item_link need it; no query per item
        return comments
