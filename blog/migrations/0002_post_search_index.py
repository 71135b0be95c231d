"""A GIN index for full-text search over posts, on PostgreSQL only.

The expression is the weighted Dutch document of blog/search.py:search_document(); the two
must stay identical for PostgreSQL to use the index. SQLite has no GIN indexes and no
full-text configuration: there this migration does nothing (blog/search.py falls back to
a simple LIKE search).
"""

from django.db import migrations

INDEX_NAME = "blog_post_search_idx"

CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON blog_post USING gin ((
    setweight(to_tsvector('dutch'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('dutch'::regconfig, COALESCE(intro, '')), 'B')
    || setweight(to_tsvector('dutch'::regconfig, COALESCE(body_html, '')), 'C')
))
"""
DROP = f"DROP INDEX IF EXISTS {INDEX_NAME}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("blog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
