"""What blog tells the page cache (core/pagecache.py), connected in BlogConfig.ready().

- The schedule: the next `publish_at` of an approved post is the next moment public pages
  change by themselves, so no cached copy may outlive it.
- Writes: posts, series, static pages, images and tags show on public pages; saving or
  deleting any of them makes every cached copy unreachable (`pagecache.changed`).
- A deploy (`manage.py migrate`) may bring code that renders pages differently: it starts
  the cache afresh too.
- A post's tags are part of the post: adding, removing or renaming a tag touches the
  `updated_at` of the posts that carry it, so feed ETags and `lastmod`s change with it.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_delete
from django.utils import timezone
from taggit.models import Tag

from blog.archive import forget_live_months
from blog.models import Image, Page, Post, Series
from core import pagecache


def next_publication(now):
    """The moment the next scheduled post goes live, or None."""
    return (
        Post.objects.scheduled(now).order_by("publish_at")
        .values_list("publish_at", flat=True).first()
    )


def _post_tags_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, Post):
        Post.objects.filter(pk=instance.pk).update(updated_at=timezone.now())
    forget_live_months()  # a tag's kept count of live posts
    pagecache.changed()


def _tag_renamed(sender, instance, created=False, **kwargs):
    if not created:
        Post.objects.filter(tags=instance).update(updated_at=timezone.now())
        pagecache.changed()


def _tag_deleted(sender, instance, **kwargs):
    Post.objects.filter(tags=instance).update(updated_at=timezone.now())
    pagecache.changed()


def _migrated(sender, **kwargs):
    pagecache.changed()


def connect() -> None:
    pagecache.schedule(next_publication)
    post_migrate.connect(_migrated, sender=apps.get_app_config("blog"),
                         dispatch_uid="blog.caching.migrated")
    pagecache.watch(Post, Series, Page, Image)
    m2m_changed.connect(_post_tags_changed, sender=Post.tags.through,
                        dispatch_uid="blog.caching.post_tags")
    post_save.connect(_tag_renamed, sender=Tag, dispatch_uid="blog.caching.tag_saved")
    pre_delete.connect(_tag_deleted, sender=Tag, dispatch_uid="blog.caching.tag_deleted")
