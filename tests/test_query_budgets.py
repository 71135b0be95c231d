"""Query budgets of the reader's pages: the same ceiling with 10 posts as with 500.

Measured (anonymous visitor, SQLite and PostgreSQL alike; 30 posts), with none of the
page's post cards made yet / with all of them kept (blog/cards.py, tests/test_cards.py):
home 4 / 2 once the month list is cached (6 on its very first render), page 2 of home 3 / 1,
tag and author pages 5 / 3, year and month archives 3 / 1; post detail 4 with its comments,
feeds 3, search 3 (search results are never kept as cards).
"""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import CommentFactory, PageFactory
from tests.reader_world import build_blog, bulk_live_posts, give_photo

# What rendering costs: with the page cache on, a page served from it costs no query at all
# and a page rendered after a write one more (the schedule, tests/test_page_cache.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

SIZES = [10, 500]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-posts")
def blog(request, db):
    blog = build_blog(request.param)
    PageFactory(title="Over ons")
    give_photo(blog.authors[0].profile)
    return blog


@pytest.fixture
def busy_post(blog):
    """The newest post, in the series, with a trend, an image, 10 tags and 50 comments."""
    post = blog.posts[0]  # in the series (every 7th), with a trend (every 3rd) and an image
    assert post.series_id and post.trend_id and post.featured_image_id
    post.tags.add(*[f"tag {i}" for i in range(10)])
    CommentFactory.create_batch(50, post=post)
    return post


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_home(client, blog, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        get(client, "/")
    if len(blog.posts) > 10:
        with django_assert_max_num_queries(8):
            get(client, "/?pagina=2")


def test_post_detail_with_comments_and_tags(client, busy_post, django_assert_max_num_queries):
    # 10 in all; the reader's part is held to 6 to leave room for the comments section.
    with django_assert_max_num_queries(6):
        response = get(client, busy_post.get_absolute_url())
    assert response.content.decode().count('rel="tag"') == len(busy_post.tags.all())


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/tag/onderwerp-1/feed/",
                                 "/reeks/gastbloggers-blikken-terug/feed/"])
def test_feeds(client, blog, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        get(client, url)


def test_trend_list(client, blog, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = get(client, "/trends/2010/")
    # Every trend reviewed by a live post links to it.
    reviewed = {post.trend_id for post in blog.posts if post.trend_id}
    assert response.content.decode().count("Teruggeblikt in:") == len(reviewed)


@pytest.mark.parametrize("url", ["/trends/", "/trends/2010/1/", "/reeks/gastbloggers-blikken-terug/",
                                 "/tag/onderwerp-1/", "/archief/", "/zoeken/?q=welzijn"])
def test_other_lists(client, blog, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        get(client, url)


def test_author_and_archive_pages(client, blog, django_assert_max_num_queries):
    post = blog.posts[0]
    profile = post.author.profile
    with django_assert_max_num_queries(6):
        get(client, profile.get_absolute_url())
    month = timezone.localtime(post.publish_at)  # the archives go by Amsterdam dates
    with django_assert_max_num_queries(6):
        get(client, f"/archief/{month:%Y}/")
    with django_assert_max_num_queries(6):
        get(client, f"/archief/{month:%Y}/{month:%m}/")


def count_queries(client, url) -> int:
    """Queries of one request with no post card made yet (the most a list page costs)."""
    caches["cards"].clear()
    with CaptureQueriesContext(connection) as queries:
        get(client, url)
    return len(queries)


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_blog(client):
    """Beyond the ceilings: the exact count with 10 posts is the count with 500."""
    small = build_blog(10)
    post = small.posts[0]
    month = timezone.localtime(post.publish_at)
    urls = ["/", post.get_absolute_url(), "/feed/", "/trends/", "/trends/2010/",
            "/reeks/gastbloggers-blikken-terug/", "/tag/onderwerp-1/", "/zoeken/?q=welzijn",
            f"/archief/{month:%Y}/", f"/archief/{month:%Y}/{month:%m}/"]
    before = {url: count_queries(client, url) for url in urls}
    bulk_live_posts(490, authors=small.authors, tags=small.tags, trends=small.trends,
                    series=small.series, images=small.images, start=post.publish_at
                    - timedelta(days=20), prefix="Ouder")
    after = {url: count_queries(client, url) for url in urls}
    assert after == before
