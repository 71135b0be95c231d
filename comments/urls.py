"""Reader comments: posting, the comments feed, and the links sent by e-mail."""

from django.urls import path

from comments import views as comments
from comments.feeds import LatestCommentsFeed
from core.pagecache import public_page

app_name = "comments"

urlpatterns = [
    path("reacties/<int:post_id>/", comments.post_comment, name="post"),
    path("reacties/feed/", public_page(LatestCommentsFeed()), name="feed"),
    path("reacties/auteur/<str:token>/", comments.author_reply_link, name="author-reply"),
    path("reacties/bevestigen/<str:token>/", comments.confirm_replies, name="confirm"),
    path("reacties/afmelden/<str:token>/", comments.unsubscribe, name="unsubscribe"),
]
