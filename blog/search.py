"""Search over live posts: title, intro, body and tags, best match first, with a snippet.

Whatever the query, one search does a bounded amount of work: it takes the newest
`MAX_RESULTS` matching live posts (a common word must not make the database score every
post it occurs in: at 100,000 posts that held a worker for 40 seconds), ranks those, and
renders snippets only for the ten posts on the page. A rare word is ranked among all its
matches; for a word in more posts than that the page says so ("meer dan 500").

On PostgreSQL: full-text search with the Dutch configuration ("zorgverzekeraars" finds
"zorgverzekeraar"), web-search syntax ("…", or, -woord). Each post keeps its weighted
document in the column `blog_post.search_vector` (title A, tag names B, intro B, body C),
which triggers keep up to date on every write to the post, its tags or a tag's name
(migration 0006_post_search_vector), with a GIN index. The rank is `ts_rank` over the
stored vector; the snippet is `ts_headline` over the text.

Elsewhere (SQLite, the embedded default), the simpler rule: every word must occur,
case-insensitively, in the title, intro, body or a tag; the rank counts where each word
occurs (title 4, tag 3, intro 2, body 1), newest first among equals; the snippet is the
words around the first match in the text, found in Python.
"""

import html
import re
from collections.abc import Sequence

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from blog.models import Post, PostQuerySet, TaggedPost
from core.content import strip_tags

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_RESULTS = 500
SEARCH_CONFIG = "dutch"
SNIPPET_WORDS = 30
# Marks around a hit in a snippet while it is still text (never in a post's text).
_START, _STOP = "\x02", "\x03"
NEWEST_FIRST = ("-publish_at", "-created_at", "-pk")


def clean_query(raw: str | None) -> str:
    """Whitespace collapsed and length capped: what the reader typed, made safe to echo."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH].strip()


# --- results --------------------------------------------------------------------------------

class SearchResults(Sequence):
    """The ranked ids of at most MAX_RESULTS matches; posts are loaded a page at a time.

    A Paginator takes it like a queryset: `len()` is the number of results (no count
    query), a slice loads just those posts, in rank order, each with `.snippet`.
    """

    model = Post

    def __init__(self, ids: list[int], load_page, *, capped: bool):
        self.ids = ids
        self.capped = capped  # more posts matched than were ranked
        self.max_results = MAX_RESULTS
        self._load_page = load_page

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        ids = self.ids[index]
        if not ids:
            return []
        posts = {post.pk: post for post in self._load_page(ids)}
        return [posts[pk] for pk in ids if pk in posts]

    def exists(self) -> bool:
        return bool(self.ids)


def search_posts(posts: QuerySet, query: str) -> SearchResults:
    """`posts` (already Post.objects.live()) narrowed to matches for `query`, best first."""
    query = clean_query(query)
    if not query:
        return SearchResults([], None, capped=False)
    if connection.vendor == "postgresql":
        return _postgres_search(posts, query)
    return _simple_search(posts, query)


def _ranked(matches: QuerySet, rank) -> tuple[list[int], bool]:
    """Rank the newest MAX_RESULTS of `matches` (one query), ids only."""
    newest = matches.order_by(*NEWEST_FIRST).values("pk")[:MAX_RESULTS + 1]
    ranked = list(
        Post.objects.live().filter(pk__in=newest)
        .annotate(rank=rank)
        .order_by("-rank", *NEWEST_FIRST)
        .values_list("pk", flat=True)
    )
    return ranked[:MAX_RESULTS], len(ranked) > MAX_RESULTS


# --- PostgreSQL -----------------------------------------------------------------------------

class StoredSearchVector(Expression):
    """`blog_post.search_vector`: a column PostgreSQL generates, unknown to the model (it
    exists on PostgreSQL only, and no page should load it)."""

    column = "search_vector"

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())
        self.alias = None

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False,
                           for_save=False):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.alias)
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def _postgres_query(query: str):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")


def postgres_matches(posts: QuerySet, query: str) -> QuerySet:
    """The posts among `posts` whose text or tags match, from the GIN index."""
    return posts.alias(document=StoredSearchVector()).filter(document=_postgres_query(query))


def _postgres_search(posts: QuerySet, query: str) -> SearchResults:
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    ts_query = _postgres_query(query)
    ids, capped = _ranked(postgres_matches(posts, query),
                          SearchRank(StoredSearchVector(), ts_query))

    def load_page(page_ids):
        # The text without its tags; ts_headline runs for these posts only (after LIMIT).
        text = _without_tags(
            Concat(F("intro_html"), Value(" "), F("body_html"), output_field=TextField()))
        return [
            _with_snippet(post, _marked_to_html(post.headline))
            for post in posts.for_listing().filter(pk__in=page_ids).annotate(
                headline=SearchHeadline(
                    text, ts_query, config=SEARCH_CONFIG, start_sel=_START, stop_sel=_STOP,
                    max_words=SNIPPET_WORDS, min_words=SNIPPET_WORDS // 2, max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
        ]

    return SearchResults(ids, load_page, capped=capped)


def _without_tags(expression) -> Func:
    return Func(expression, Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace",
                output_field=TextField())


# --- SQLite and others: the simpler rule ------------------------------------------------------

WEIGHTS = {"title": 4, "tag": 3, "intro": 2, "body": 1}


def query_words(query: str) -> list[str]:
    # The simple search knows no operators: quotes are dropped, "-woord" is ignored.
    words = [w.strip('"').lower() for w in query.split()]
    return [w for w in words if w and not w.startswith("-")][:MAX_WORDS]


def _simple_search(posts: QuerySet, query: str) -> SearchResults:
    words = query_words(query)
    if not words:
        return SearchResults([], None, capped=False)
    matches = posts
    score = Value(0)
    for word in words:
        tagged = Exists(TaggedPost.objects.filter(
            content_object=OuterRef("pk"), tag__name__icontains=word))
        fields = {
            "title": Q(title__icontains=word),
            "tag": Q(tagged),
            "intro": Q(intro__icontains=word),
            "body": Q(body_html__icontains=word),
        }
        any_field = Q()
        for name, hit in fields.items():
            any_field |= hit
            score = score + Case(When(hit, then=Value(WEIGHTS[name])), default=Value(0),
                                 output_field=IntegerField())
        matches = matches.filter(any_field)
    ids, capped = _ranked(matches, score)

    def load_page(page_ids):
        return [
            _with_snippet(post, simple_snippet(post.intro_html + " " + post.body_html, words))
            # The card's columns and, for the snippet, the two texts (ten posts at most).
            for post in posts.for_listing().only(
                *PostQuerySet.LISTING_FIELDS, "intro_html", "body_html").filter(pk__in=page_ids)
        ]

    return SearchResults(ids, load_page, capped=capped)


def simple_snippet(markup: str, words: list[str], size: int = SNIPPET_WORDS) -> SafeString:
    """About `size` words of the text around the first hit, every hit marked."""
    text = strip_tags(markup).split()
    lowered = [t.lower() for t in text]
    first = next((i for i, t in enumerate(lowered) if any(w in t for w in words)), 0)
    start = max(0, min(first - size // 3, len(text) - size))
    chunk = text[start:start + size]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)),
                         re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", " ".join(chunk))
    if start > 0:
        marked = "… " + marked
    if start + size < len(text):
        marked += " …"
    return _marked_to_html(marked, unescape=False)


# --- snippets -----------------------------------------------------------------------------

def _marked_to_html(marked: str | None, *, unescape: bool = True) -> SafeString:
    """Text with _START/_STOP around hits → escaped HTML with <mark> around hits."""
    text = " ".join((marked or "").split())
    if unescape:  # ts_headline ran on HTML with its tags removed: entities remain
        text = html.unescape(text)
    parts = []
    for i, piece in enumerate(re.split(f"[{_START}{_STOP}]", text)):
        escaped = conditional_escape(piece)
        parts.append(f"<mark>{escaped}</mark>" if i % 2 and piece else escaped)
    return mark_safe("".join(parts))  # every piece escaped above


def _with_snippet(post: Post, snippet: SafeString) -> Post:
    post.snippet = snippet
    return post
