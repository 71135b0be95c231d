"""Store each post's summary (issue 11): lists and feeds showed it by cleaning the whole body
with bleach on every request. Existing posts get theirs here, the way Post.save() makes it."""

from django.db import migrations, models

from core import content


def fill_summaries(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    posts = Post.objects.only("pk", "excerpt", "intro_html", "body_html")
    for post in posts.iterator(chunk_size=500):
        post.summary = post.excerpt or content.make_excerpt(post.intro_html or post.body_html)
        post.save(update_fields=["summary"])


class Migration(migrations.Migration):

    dependencies = [
        ("blog", "0003_dutch_field_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="summary",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_summaries, migrations.RunPython.noop, elidable=True),
    ]
