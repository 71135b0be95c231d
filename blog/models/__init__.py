from blog.models.comments import Comment
from blog.models.images import Image
from blog.models.posts import Page, Post, PostEvent, PostQuerySet, Series, Status

__all__ = [
    "Comment",
    "Image",
    "Page",
    "Post",
    "PostEvent",
    "PostQuerySet",
    "Series",
    "Status",
]
