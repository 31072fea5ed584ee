"""Expressions that steer SQLite's query planner and read as plain SQL elsewhere.

The embedded default runs on SQLite, whose planner has no statistics on value ranges and
decides before parameters are bound. Two shapes help it pick the index PostgreSQL picks
on its own; on PostgreSQL both render exactly as before.
"""

from django.db.models import Func, Value


class Constant(Value):
    """A string written into the statement on SQLite, a parameter elsewhere. SQLite uses
    a partial index only when the query repeats the index's condition with the same
    values, which a bound parameter (unknown when the plan is made) never is. Only for
    the product's own constants, never for input."""

    def as_sqlite(self, compiler, connection, **extra_context):
        text = str(self.value)
        return "'" + text.replace("'", "''") + "'", []


class Unindexed(Func):
    """A column SQLite must not walk an index of: `+column` (SQLite's documented way to
    take a term away from the planner). Grouping by a foreign key otherwise makes it walk
    that key's index over the whole table, to save sorting the few rows the WHERE
    leaves."""

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"+{sql}", params
