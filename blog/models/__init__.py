# Each capability keeps its models in its own module; importing registers them.
from blog.models import digest, imports  # noqa: E402,F401,I001
from blog.models.comments import Comment, ReplyAddress
from blog.models.images import Image
from blog.models.posts import Page, Post, PostEvent, PostQuerySet, Series, Status

__all__ = [
    "Comment",
    "Image",
    "Page",
    "Post",
    "PostEvent",
    "PostQuerySet",
    "ReplyAddress",
    "Series",
    "Status",
]
