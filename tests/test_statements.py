"""Hot queries compiled once per process (core.db.Statement), on SQLite and PostgreSQL.

A statement must give what its queryset gives, for every value: the post page and the
comments under it run through one.
"""

from datetime import timedelta

import pytest
from django.db.models import DateTimeField, SlugField
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from blog.models import Post
from blog.views.public import LIVE_POST_BY_SLUG
from comments.templatetags.comments import comments_page
from core.db import Param, Statement
from tests.factories import (
    AuthorProfileFactory,
    CommentFactory,
    LivePostFactory,
    ScheduledPostFactory,
    SeriesFactory,
    TrendFactory,
)

pytestmark = pytest.mark.django_db


def live_by_slug():
    return Statement(lambda: (
        Post.objects.live(now=Param("now", DateTimeField())).for_reading()
        .filter(slug=Param("slug", SlugField()))
    ))


def test_each_run_takes_its_own_values():
    first, second = LivePostFactory(), LivePostFactory()
    statement = live_by_slug()
    now = timezone.now()
    assert statement(now=now, slug=first.slug) == [first]
    assert statement(now=now, slug=second.slug) == [second]
    assert statement(now=now, slug="bestaat-niet") == []


def test_a_datetime_value_is_compared_as_the_orm_would():
    # On SQLite a datetime is stored as UTC text: the value must be prepared as the ORM
    # prepares it, or an Amsterdam time an hour ahead of UTC would compare as an hour later.
    post = ScheduledPostFactory(publish_at=timezone.now() + timedelta(minutes=30))
    statement = live_by_slug()
    local = timezone.localtime  # Europe/Amsterdam: +01:00 in winter, +02:00 in summer
    assert statement(now=local(timezone.now()), slug=post.slug) == []
    assert statement(now=local(post.publish_at - timedelta(seconds=1)), slug=post.slug) == []
    assert statement(now=local(post.publish_at), slug=post.slug) == [post]
    assert statement(now=local(post.publish_at + timedelta(days=1)), slug=post.slug) == [post]


def test_the_sql_is_built_once(monkeypatch):
    posts = [LivePostFactory() for _ in range(3)]
    statement = live_by_slug()
    statement(now=timezone.now(), slug=posts[0].slug)  # compiled here
    built = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql",
                        lambda self, *a, **k: built.append(self) or original(self, *a, **k))
    for post in posts:
        assert statement(now=timezone.now(), slug=post.slug) == [post]
    # The tags' prefetch builds its own; the post's own query is never built again.
    assert all(compiler.query.model is not Post for compiler in built)


def test_related_objects_annotations_and_prefetches_come_with_the_rows(
        django_assert_num_queries):
    profile = AuthorProfileFactory(display_name="Noor Visser")
    trend = TrendFactory(title="Meer eigen kracht")
    series = SeriesFactory(title="Terugblik")
    post = LivePostFactory(author=profile.user, trend=trend, series=series,
                           tags=["buurt", "armoede"])
    with django_assert_num_queries(2):  # the post and its tags
        [found] = live_by_slug()(now=timezone.now(), slug=post.slug)
        assert found.author.profile.display_name == "Noor Visser"
        assert found.trend.title == "Meer eigen kracht"
        assert found.trend.trend_list.year == trend.trend_list.year
        assert found.series.title == "Terugblik"
        assert sorted(tag.name for tag in found.tag_list) == ["armoede", "buurt"]
    assert "body_markdown" in found.get_deferred_fields()  # for_reading() leaves it out


def test_the_post_page_statement_gives_the_tags_in_alphabetical_order(client):
    post = LivePostFactory(tags=["zorg", "armoede", "buurt"])
    html = client.get(post.get_absolute_url()).content.decode()
    assert html.index(">armoede</a>") < html.index(">buurt</a>") < html.index(">zorg</a>")
    [found] = LIVE_POST_BY_SLUG(now=timezone.now(), slug=post.slug)
    assert found == post


def test_the_first_page_of_comments_matches_the_general_query(django_user_model):
    post = LivePostFactory()
    other = LivePostFactory()
    parent = CommentFactory(post=post, name="Eerste lezer")
    CommentFactory(post=post, parent=parent, name="Antwoorder")
    CommentFactory(post=post, status="pending", name="Wachtende")
    CommentFactory(post=other, name="Elders")
    from django.contrib.auth.models import AnonymousUser

    rows, older = comments_page(post, user=AnonymousUser(), own_ids=frozenset(), number=1)
    assert [c.name for c in rows] == ["Eerste lezer", "Antwoorder"]
    assert not older
    assert rows[1].parent_name == "Eerste lezer"
    assert all(row.post is post for row in rows)
    # A reader with a held comment of their own goes the general way and sees it too.
    held = post.comments.get(name="Wachtende")
    rows, _ = comments_page(post, user=AnonymousUser(), own_ids={held.pk}, number=1)
    assert [c.name for c in rows] == ["Eerste lezer", "Antwoorder", "Wachtende"]
