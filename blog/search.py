"""Search over live posts: title, intro, body and tags.

On PostgreSQL: full-text search with the Dutch configuration ("zorgverzekeraars" finds
"zorgverzekeraar"), web-search syntax ("…", or, -woord) and ranking, title above intro
above body, with a bonus for a matching tag. The weighted document below is exactly the
expression of the GIN index that migration 0002_post_search_index creates, so PostgreSQL
can answer from the index; change one, change the other (tests/test_search.py checks the
plan uses the index).

Elsewhere (SQLite, the embedded default): every word must occur, case-insensitively, in
the title, intro, body or a tag; title hits first, then newest first.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, FloatField, IntegerField, Q, QuerySet, Value, When
from taggit.models import TaggedItem

from blog.models import Post

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
SEARCH_CONFIG = "dutch"
TAG_BONUS = 0.4


def clean_query(raw: str | None) -> str:
    """Whitespace collapsed and length capped: what the reader typed, made safe to echo."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH].strip()


def search_document():
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("intro", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body_html", weight="C", config=SEARCH_CONFIG)
    )


def search_posts(posts: QuerySet, query: str) -> QuerySet:
    """`posts` (already Post.objects.live()) narrowed to matches for `query`, best first."""
    query = clean_query(query)
    if not query:
        return posts.none()
    if connection.vendor == "postgresql":
        return _postgres_search(posts, query)
    return _simple_search(posts, query)


def _postgres_search(posts: QuerySet, query: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    ts_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    tag_ids = list(
        TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Post))
        .alias(tag_document=SearchVector("tag__name", config=SEARCH_CONFIG))
        .filter(tag_document=ts_query)
        .values_list("object_id", flat=True)
        .distinct()
    )
    tag_hit = Case(
        When(pk__in=tag_ids, then=Value(TAG_BONUS)), default=Value(0.0), output_field=FloatField()
    )
    return (
        posts.alias(document=search_document())
        .filter(Q(document=ts_query) | Q(pk__in=tag_ids))
        .annotate(rank=SearchRank(search_document(), ts_query) + tag_hit)
        .order_by("-rank", "-publish_at", "-pk")
    )


def _simple_search(posts: QuerySet, query: str) -> QuerySet:
    # The simple search knows no operators: quotes are dropped, "-woord" is ignored.
    words = [w.strip('"').lower() for w in query.split()]
    words = [w for w in words if w and not w.startswith("-")][:MAX_WORDS]
    if not words:
        return posts.none()
    tagged = _tagged_posts(words)
    title_hits = Q()
    for word in words:
        posts = posts.filter(
            Q(title__icontains=word)
            | Q(intro__icontains=word)
            | Q(body_html__icontains=word)
            | Q(pk__in=[pk for pk, name in tagged if word in name])
        )
        title_hits &= Q(title__icontains=word)
    return posts.annotate(
        title_hit=Case(When(title_hits, then=Value(1)), default=Value(0),
                       output_field=IntegerField())
    ).order_by("-title_hit", "-publish_at", "-pk")


def _tagged_posts(words: list[str]) -> list[tuple[int, str]]:
    """(post id, tag name lower-cased) for every tag that contains one of `words`."""
    any_word = Q()
    for word in words:
        any_word |= Q(tag__name__icontains=word)
    return [
        (pk, name.lower())
        for pk, name in TaggedItem.objects.filter(
            any_word, content_type=ContentType.objects.get_for_model(Post)
        ).values_list("object_id", "tag__name")
    ]
