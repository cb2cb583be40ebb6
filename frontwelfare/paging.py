"""Counting what a list shows without reading all of it, and the API's pages.

Above a list of fifty rows stands how many there are in all. At national scale, counting every
match of a broad filter ("has a member at school", across the country) reads hundreds of
thousands of rows to print one number. So a list counts at most COUNT_LIMIT matches; past that it
says "about N", N being PostgreSQL's own estimate of the query (EXPLAIN, no rows read) when it is
at least that, or "more than COUNT_LIMIT" when the planner guessed lower. Lists whose total is
kept (households.tallies) pass it as an exact count instead.
"""

import json
import math
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

COUNT_LIMIT = 10_000


@dataclass(frozen=True)
class ListCount:
    """How many rows a list has: ``number`` exactly, or about ``number`` (``estimated``), or more
    than ``number`` (``at_least``)."""

    number: int
    estimated: bool = False
    at_least: bool = False

    @property
    def exact(self) -> bool:
        return not (self.estimated or self.at_least)


def bounded_count(queryset, *, limit: int | None = None) -> ListCount:
    """The number of rows of ``queryset``, reading at most ``limit`` (COUNT_LIMIT) + 1 of them."""
    limit = limit or COUNT_LIMIT
    counted = queryset.order_by()[: limit + 1].count()
    if counted <= limit:
        return ListCount(counted)
    estimate = planner_estimate(queryset)
    if estimate is not None and estimate > limit:
        return ListCount(_round_estimate(estimate), estimated=True)
    return ListCount(limit, at_least=True)


def planner_estimate(queryset) -> int | None:
    """The planner's estimate of the rows of ``queryset`` (PostgreSQL); None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def _round_estimate(number: int) -> int:
    """Two significant figures: "about 52.000", not a precision the estimate does not have."""
    scale = 10 ** max(int(math.log10(number)) - 1, 0)
    return round(number / scale) * scale


class CountedPaginator(Paginator):
    """A Paginator told its count (a ListCount) instead of counting. Past an estimated or bounded
    count, the page numbers go on as far as that count; a page beyond the real end is empty."""

    def __init__(self, object_list, per_page, *, list_count: ListCount, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.list_count = list_count

    @cached_property
    def count(self) -> int:
        # "More than N": a page's worth more, so that the pages up to the limit hold all their rows
        # and the last one still offers "Next".
        return self.list_count.number + (self.per_page if self.list_count.at_least else 0)


class PagePagination(PageNumberPagination):
    """DRF's pages, refusing an empty ``page=`` (which DRF reads as page 1) with a 400 naming the
    parameter, as any other value that is not a page number is refused (404, no such page)."""

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise exceptions.ValidationError({self.page_query_param: [gettext("Give a page number: 1, 2, 3…")]})
        return super().get_page_number(request, paginator)
