"""Prepared statements for the hot queries whose plan does not depend on their values.

PostgreSQL can keep a statement's plan for a connection and skip planning on the next run.
That plan is generic: made once for any values. For a post looked up by its unique slug, a
page of one post's comments read from the (post, created_at) index, a feed's items by id or
a page of the home list (every live post, newest first), it is the plan every value gets
anyway, and the post page stops paying 1.3 ms to plan a six-table query on every request.
For a search word or an author it is not: a word in most posts and a word in three want
different plans. So statements are prepared only inside `prepared()`, around queries chosen
for it; everywhere else each execution is planned for its own values.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection


@contextmanager
def prepared():
    """Queries run in this block become prepared statements on this connection once they
    have run `DATABASE_PREPARE_THRESHOLD` times (PostgreSQL with
    `DATABASE_PREPARED_STATEMENTS`; elsewhere the block changes nothing)."""
    if not getattr(settings, "DATABASE_PREPARED_STATEMENTS", False) \
            or connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.prepare_threshold
    raw.prepare_threshold = settings.DATABASE_PREPARE_THRESHOLD
    try:
        yield
    finally:
        if connection.connection is raw:  # not closed and reopened in between
            raw.prepare_threshold = before
