"""Reader comments: posting, the comments feeds, and the links sent by e-mail."""

from django.urls import path, re_path

from comments import views as comments
from comments.feeds import LatestCommentsFeed, PostCommentsFeed
from core.pagecache import public_page

app_name = "comments"

urlpatterns = [
    path("reacties/<int:post_id>/", comments.post_comment, name="post"),
    path("reacties/feed/", public_page(LatestCommentsFeed()), name="feed"),
    # One post's comments, under the post's own address (blog's /<yyyy>/<mm>/<slug>/).
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<slug>[-a-zA-Z0-9_]+)/reacties/feed/$",
            public_page(PostCommentsFeed()), name="post-feed"),
    path("reacties/auteur/<str:token>/", comments.author_reply_link, name="author-reply"),
    path("reacties/bevestigen/<str:token>/", comments.confirm_replies, name="confirm"),
    path("reacties/afmelden/<str:token>/", comments.unsubscribe, name="unsubscribe"),
]
