"""Prepared statements only where one plan fits every value (core.db.prepared)."""

import re
from datetime import timedelta

import pytest
from django.db import connection

from blog.models import Post
from core.db import prepared
from tests.factories import CommentFactory, LivePostFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="prepared statements are PostgreSQL's"),
]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_query_inside_the_block_is_prepared_after_the_threshold(settings):
    settings.DATABASE_PREPARE_THRESHOLD = 2
    post = LivePostFactory()
    for _ in range(3):
        with prepared():
            assert Post.objects.filter(slug=post.slug).get() == post
    assert any("blog_post" in sql and '"slug" = $1' in sql for sql in prepared_statements())


def test_outside_the_block_every_query_is_planned_for_its_own_values(settings):
    settings.DATABASE_PREPARE_THRESHOLD = 2
    post = LivePostFactory()
    for _ in range(6):
        Post.objects.filter(author_id=post.author_id).count()
    assert not any('"author_id" = $1' in sql for sql in prepared_statements())


def test_the_post_page_prepares_its_post_and_its_comments(client, settings):
    settings.DATABASE_PREPARE_THRESHOLD = 2
    settings.PAGE_CACHE = False  # every request renders
    post = LivePostFactory()
    CommentFactory(post=post)
    for _ in range(3):
        assert client.get(post.get_absolute_url()).status_code == 200
    statements = prepared_statements()
    assert any(re.search(r'"blog_post"\."slug" = \(?\$', sql) for sql in statements)
    assert any('FROM "comments_comment"' in sql for sql in statements)
    # Nothing else on the page: its other queries are planned per request.
    assert len(statements) <= 3


def test_turned_off_nothing_is_prepared(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    settings.DATABASE_PREPARE_THRESHOLD = 1
    post = LivePostFactory()
    for _ in range(3):
        with prepared():
            Post.objects.filter(slug=post.slug).get()
    assert not any('"slug" = $1' in sql for sql in prepared_statements())


def test_a_feed_prepares_its_items_by_id_but_not_the_query_that_picks_them(client, settings):
    settings.DATABASE_PREPARE_THRESHOLD = 2
    settings.PAGE_CACHE = False
    older = LivePostFactory(tags=["buurt"], title="Ouder bericht")
    newer = LivePostFactory(tags=["buurt"], title="Nieuwer bericht")
    older.publish_at = newer.publish_at - timedelta(days=1)
    older.save()
    for _ in range(3):
        body = client.get("/tag/buurt/feed/").content.decode()
    assert body.index("Nieuwer bericht") < body.index("Ouder bericht")  # still newest first
    statements = prepared_statements()
    assert any('"blog_post"."id" IN ($' in sql for sql in statements)
    # Which posts a tag has is planned for that tag: a tag on a third of the blog and a tag
    # on three posts want different plans.
    assert not any('"tag_id" = $' in sql for sql in statements)


def test_the_home_list_prepares_its_page_but_a_tag_page_does_not(client, settings):
    settings.DATABASE_PREPARE_THRESHOLD = 2
    settings.PAGE_CACHE = False
    for _ in range(3):
        LivePostFactory(tags=["buurt"])
    for _ in range(3):
        assert client.get("/").status_code == 200
    before = set(prepared_statements())
    assert any('"blog_post"."id" IN (SELECT' in sql for sql in before)
    for _ in range(3):
        assert client.get("/tag/buurt/").status_code == 200
    assert not any("blog_post" in sql for sql in set(prepared_statements()) - before)
