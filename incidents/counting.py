"""Counting without reading a backlog row by row: counts capped at COUNT_CAP.

A tile that says "1,000+" is as useful to a responder as one that says 48,211, and it costs
an index range of at most COUNT_CAP + 1 entries instead of every matching row. All the
counts a page needs are asked in one round trip.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 1000


class Tally(int):
    """A count that is exact up to its cap; above it the value is cap + 1 and it reads
    "1,000+"."""

    def __new__(cls, value: int, cap: int | None = None):
        cap = COUNT_CAP if cap is None else cap
        tally = super().__new__(cls, min(int(value), cap + 1))
        tally.cap = cap
        return tally

    @property
    def capped(self) -> bool:
        return self > self.cap

    def __str__(self) -> str:
        return f"{self.cap:,}+" if self.capped else str(int(self))


class CappedPaginator(Paginator):
    """Pages over a long list without counting all of it: the count stops at LIST_CAP
    (the list then says "10,000+ incidents" and offers the pages up to there; filters and
    search narrow it down)."""

    LIST_CAP = 10_000

    @cached_property
    def count(self) -> Tally:
        rows = self.object_list.order_by().values("pk")[: self.LIST_CAP + 1]
        return Tally(rows.count(), self.LIST_CAP)


def capped_counts(querysets: dict[str, QuerySet], using: str = "default") -> dict[str, Tally]:
    """Each queryset's row count, capped, all in one statement: one scalar subquery per
    name, `SELECT COUNT(*) FROM (<queryset> LIMIT cap + 1)`."""
    parts, params, cap = [], [], COUNT_CAP
    for queryset in querysets.values():
        sql, part_params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")  # noqa: S608 - ORM-made SQL
        params.extend(part_params)
    if not parts:
        return {}
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {name: Tally(value, cap) for name, value in zip(querysets, row, strict=True)}
