"""Pages of long lists that cost about the same on page 1 as on page 1,000, with 1,000 rows
or with 1,000,000.

Django's Paginator counts the whole list (`SELECT COUNT(*)` over every row) and then takes
`LIMIT n OFFSET m` of the full query, joins included, so a deep page joins every row it
skips. Here:

- a page is picked by id first: `LIMIT`/`OFFSET` over the ids only (read from the list's
  index), and only the rows of the page are joined and loaded. The rows are loaded by id
  from a query without the list's filters (a tag's join, say), or with the ids as a list:
  given the filters again, PostgreSQL may plan the outer query as if it had to join them
  for every row of the table;
- `ListPaginator` (the reader's lists) takes its count when it is known already (the cached
  month list knows how many live posts there are in all, per year and per month:
  blog/archive.py), and otherwise counts only up to `COUNT_CAP` ("meer dan 1000
  berichten"); a list of unknown length still pages: one extra row says there is a next;
- `AdminPaginator` (the admin's lists) counts exactly up to `ADMIN_COUNT_CAP` (1,000) and
  beyond that takes PostgreSQL's estimate (the planner's row count, no scan): "about
  95,000" is what an editor needs to page through a list.
"""

import json
from functools import cached_property

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet

COUNT_CAP = 1000
ADMIN_COUNT_CAP = 1000


def page_ids(queryset: QuerySet, offset: int, limit: int) -> QuerySet:
    """The ids of rows offset..offset+limit of `queryset` (ordered): a subquery."""
    return queryset.select_related(None).prefetch_related(None).values("pk")[offset:offset + limit]


def page_by_ids(queryset: QuerySet, offset: int, limit: int) -> QuerySet:
    """Rows offset..offset+limit of `queryset` (ordered), with the OFFSET over ids only and
    the rows loaded by a list of ids (two queries, each with a plan that cannot go wrong)."""
    ids = list(page_ids(queryset, offset, limit).values_list("pk", flat=True))
    return queryset.filter(pk__in=ids)


def bounded_count(queryset: QuerySet, cap: int) -> int:
    """The number of rows, counted up to cap + 1 at most."""
    return queryset.order_by().values("pk")[:cap + 1].count()


def estimated_count(queryset: QuerySet) -> int | None:
    """The planner's estimate of the number of rows (PostgreSQL), or None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class AdminPaginator(Paginator):
    """For ModelAdmin.paginator: an estimated count beyond ADMIN_COUNT_CAP, pages by id.

    `rows(ids)` loads a page's rows from a query without the list's filters (see
    `PagedByIdAdminMixin`); without it the ids are read first (a second query).
    """

    def __init__(self, *args, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        cap = ADMIN_COUNT_CAP
        exact = bounded_count(queryset, cap)
        if exact <= cap:
            return exact
        estimate = estimated_count(queryset)
        return max(exact, estimate) if estimate is not None else queryset.count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        queryset = self.object_list
        if isinstance(queryset, QuerySet):
            if self.rows is not None:
                rows = self.rows(page_ids(queryset, bottom, self.per_page))
            else:
                rows = page_by_ids(queryset, bottom, self.per_page)
            return self._get_page(rows, number, self)
        return super().page(number)


class PagedByIdAdminMixin:
    """For a ModelAdmin: the AdminPaginator, no second count of the unfiltered list, and a
    page loaded by id in one query, from the admin's own queryset (its annotations and
    joins) without the filters that chose the ids."""

    paginator = AdminPaginator
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0,
                      allow_empty_first_page=True):
        if getattr(queryset, "model", None) is not self.model:  # the history page's log
            return super().get_paginator(request, queryset, per_page, orphans,
                                         allow_empty_first_page)
        base = self.get_queryset(request)
        if self.list_select_related is True:
            base = base.select_related()
        elif self.list_select_related:
            base = base.select_related(*self.list_select_related)
        ordering = queryset.query.order_by

        def rows(ids):
            return base.filter(pk__in=ids).order_by(*ordering)

        return self.paginator(queryset, per_page, orphans, allow_empty_first_page, rows=rows)


class ListPage:
    def __init__(self, object_list: list, number: int, paginator: "ListPaginator",
                 has_next: bool):
        self.object_list = object_list
        self.number = number
        self.paginator = paginator
        self._has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        if not self._has_next:
            raise EmptyPage
        return self.number + 1

    def previous_page_number(self) -> int:
        if self.number <= 1:
            raise EmptyPage
        return self.number - 1


class ListPaginator:
    """Pages of `queryset` (ordered) of `per_page` rows; `count` when known beforehand."""

    def __init__(self, queryset: QuerySet, per_page: int, *, count: int | None = None,
                 allow_empty_first_page: bool = True, count_cap: int | None = None,
                 seek=None, rows=None, counted=None):
        self.queryset = queryset
        # rows(ids) -> the page's rows, in order, from a query without the list's filters.
        self.rows = rows
        self.per_page = per_page
        self._count = count
        # counted(cap) -> the bounded count (as `bounded_count`), from somewhere cheaper.
        self._counted = counted
        # seek(offset) -> (filters, offset): a filter that starts the list closer to row
        # `offset` (e.g. "published before March": the cached month counts say how many rows
        # it skips) and the offset left from there; page 1,000 then skips a month, not 9,990.
        self.seek = seek
        self.allow_empty_first_page = allow_empty_first_page
        self.count_cap = count_cap or COUNT_CAP

    @cached_property
    def count(self) -> int:
        """The exact number of rows, or `count_cap + 1` when there are more than the cap."""
        if self._count is not None:
            return self._count
        if self._counted is not None:
            return self._counted(self.count_cap)
        return bounded_count(self.queryset, self.count_cap)

    @property
    def count_is_capped(self) -> bool:
        return self._count is None and self.count > self.count_cap

    @property
    def num_pages(self) -> int | None:
        """The number of pages, or None when the list is longer than the count cap."""
        if self.count_is_capped:
            return None
        return max(1, -(-self.count // self.per_page)) if self.count or \
            self.allow_empty_first_page else 0

    def page(self, number) -> ListPage:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger from None
        if number < 1:
            raise EmptyPage
        if self.num_pages is not None and number > max(1, self.num_pages):
            raise EmptyPage
        offset = (number - 1) * self.per_page
        start, offset = self.seek(offset) if self.seek else ({}, offset)
        queryset = self.queryset.filter(**start)
        if self.rows is not None:
            rows = list(self.rows(page_ids(queryset, offset, self.per_page + 1)))
        else:
            rows = list(page_by_ids(queryset, offset, self.per_page + 1))
        if not rows and (number > 1 or not self.allow_empty_first_page):
            raise EmptyPage
        has_next = len(rows) > self.per_page
        return ListPage(rows[:self.per_page], number, self, has_next)
