"""The hot queries: prepared where their plan does not depend on their values, and built
once per process where their SQL does not (`Statement`, below).

PostgreSQL can keep a statement's plan for a connection and skip planning on the next run.
That plan is generic: made once for any values. For a post looked up by its unique slug, a
page of one post's comments read from the (post, created_at) index, a feed's items by id or
a page of the home list (every live post, newest first), it is the plan every value gets
anyway, and the post page stops paying 1.3 ms to plan a six-table query on every request.
For a search word or an author it is not: a word in most posts and a word in three want
different plans. So statements are prepared only inside `prepared()`, around queries chosen
for it; everywhere else each execution is planned for its own values.
"""

import copy
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Expression


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


# --- statements compiled once ---------------------------------------------------------------

class _Slot:
    """Where a `Param`'s value goes in a compiled statement's parameters."""

    __slots__ = ("name", "field")

    def __init__(self, name: str, field):
        self.name, self.field = name, field

    def bind(self, values: dict, connection):
        return self.field.get_db_prep_value(values[self.name], connection, prepared=False)


class Param(Expression):
    """A named value in a `Statement`'s queryset, given each time the statement runs:
    `.filter(slug=Param("slug", models.SlugField()))`. `output_field` prepares the value for
    the database as the ORM would (a datetime on SQLite becomes text, for instance)."""

    def __init__(self, name: str, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name, self.output_field)]


class _Compiled:
    """Stands in for a Query in a QuerySet: hands out the compiler of a compiled statement
    (the only thing a QuerySet's model iterator asks of its query)."""

    def __init__(self, compiler):
        self.compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.compiler


class Statement:
    """A hot query whose SQL is built once per process, not on every request.

    The ORM can spend more time turning a queryset into SQL than PostgreSQL spends running
    it: a post page's three queries were half of its CPU time, most of it building their SQL
    (issue 11).
    `build` returns the queryset, with a `Param` wherever a value goes; it is compiled the
    first time the statement runs on a database connection alias, and each run fills in its
    values, runs the SQL as a prepared statement (`prepared()`) and gives the rows as model
    instances, with their select_related objects, annotations and prefetches, exactly as the
    queryset itself would.

    Only for a query whose SQL has the same shape for every value (no optional filters, no
    list of variable length); the SQL is the ORM's own, so it cannot drift from the models.
    """

    def __init__(self, build):
        self.build = build
        self._compiled: dict[str, tuple] = {}

    def _compile(self, using: str) -> tuple:
        queryset = self.build().using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()  # also fills in compiler.select, klass_info, …
        return queryset, compiler, sql, tuple(params)

    def __call__(self, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        template, compiler, sql, params = compiled
        connection = connections[using]
        bound = [value.bind(values, connection) if type(value) is _Slot else value
                 for value in params]
        run = copy.copy(compiler)
        run.connection = connection  # this thread's
        run.as_sql = lambda *args, **kwargs: (sql, bound)
        queryset = type(template)(model=template.model, query=_Compiled(run), using=using)
        queryset._prefetch_related_lookups = template._prefetch_related_lookups
        with prepared():
            return list(queryset)
