"""Post tags get their own table with a real foreign key to the post (blog.TaggedPost).

django-taggit's generic TaggedItem keeps the post id in an integer `object_id` beside a
content type; Post.id is a bigint, and the cast blocked the index on every tag join. The
posts' rows move from taggit_taggeditem to blog_taggedpost (and back when reversed).
"""

from itertools import islice

import django.db.models.deletion
import taggit.managers
from django.db import migrations, models


BATCH = 5000


def _copy(rows, make, model):
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        model.objects.bulk_create([make(*row) for row in batch], batch_size=BATCH)


def move_post_tags(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedPost = apps.get_model("blog", "TaggedPost")
    Post = apps.get_model("blog", "Post")
    post_type = ContentType.objects.filter(app_label="blog", model="post").first()
    if post_type is None:  # a new database: nothing was ever tagged
        return
    old = TaggedItem.objects.filter(content_type=post_type)
    rows = (
        old.filter(object_id__in=Post.objects.values("pk"))
        .values_list("object_id", "tag_id").distinct().order_by("object_id", "tag_id")
        .iterator(chunk_size=BATCH)
    )
    _copy(rows, lambda post_id, tag_id: TaggedPost(content_object_id=post_id, tag_id=tag_id),
          TaggedPost)
    old.delete()


def move_post_tags_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedPost = apps.get_model("blog", "TaggedPost")
    if not TaggedPost.objects.exists():
        return
    post_type, _ = ContentType.objects.get_or_create(app_label="blog", model="post")
    rows = (
        TaggedPost.objects.values_list("content_object_id", "tag_id")
        .order_by("pk").iterator(chunk_size=BATCH)
    )
    _copy(rows, lambda post_id, tag_id: TaggedItem(
        content_type_id=post_type.pk, object_id=post_id, tag_id=tag_id), TaggedItem)


class Migration(migrations.Migration):

    dependencies = [
        ('blog', '0004_post_summary'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaggedPost',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tagged_items', to='blog.post')),
                ('tag', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tagged_posts', to='taggit.tag')),
            ],
            options={
                'verbose_name': 'tag van een bericht',
                'verbose_name_plural': 'tags van berichten',
            },
        ),
        migrations.AlterField(
            model_name='post',
            name='tags',
            field=taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='blog.TaggedPost', to='taggit.Tag', verbose_name='tags'),
        ),
        migrations.AddIndex(
            model_name='taggedpost',
            index=models.Index(fields=['tag', 'content_object'], name='tagged_post_tag_idx'),
        ),
        migrations.AddConstraint(
            model_name='taggedpost',
            constraint=models.UniqueConstraint(fields=('content_object', 'tag'), name='tagged_post_unique'),
        ),
        migrations.RunPython(move_post_tags, move_post_tags_back, elidable=False),
    ]
