from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Reacties")

    def ready(self):
        from comments.models import Comment
        from core import pagecache

        # A new comment that is held or spam shows on no public page (and a spam wave must
        # not empty the page cache); every other save or delete may.
        pagecache.watch(Comment, when=lambda comment, created, **kw: not created
                        or comment.status == Comment.Status.APPROVED)
