"""Queries of a fixed shape, turned into SQL once per process.

Django compiles every queryset into SQL anew; for a query with a handful of EXISTS
subqueries that is most of its cost (the change page's "which timeline sources have rows"
took 3 ms of CPU, the database well under one). `first_row_once` compiles such a query once
per process, with a marker in place of the one value that changes, and then
runs the stored SQL with the value put back.

Only for `values_list` queries whose values need no conversion in Python (ids, numbers,
text, EXISTS flags read for their truth): rows come back as the driver returns them. The
SQL names tables and columns only, never a database, so it holds for the life of the
process (a migration that changes the tables restarts the processes anyway).
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

MARKER = -7_406_193_285  # an id no row has; found among the compiled parameters
_compiled: dict[str, tuple[str, str, tuple, int] | None] = {}


def _compile(queryset: QuerySet) -> tuple[str, str, tuple, int] | None:
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    where = [index for index, param in enumerate(params) if param == MARKER]
    return (queryset.db, sql, tuple(params), where[0]) if len(where) == 1 else None


def first_row_once(key: str, build: Callable[[object], QuerySet], value) -> tuple | None:
    """The first row of `build(value)`, a values_list queryset (None when there is none),
    compiled once per process for `key`. A query whose SQL does not carry the value as
    exactly one parameter is left to the ORM every time."""
    if key not in _compiled:
        _compiled[key] = _compile(build(MARKER)[:1])
    compiled = _compiled[key]
    if compiled is None:
        return next(iter(build(value)[:1]), None)
    alias, sql, params, where = compiled
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, (*params[:where], value, *params[where + 1 :]))
        return cursor.fetchone()
