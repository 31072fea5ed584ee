"""Expressions that steer SQLite's query planner and read as plain SQL elsewhere.

The embedded default runs on SQLite, whose planner has no statistics on value ranges and
decides before parameters are bound. These shapes help it pick the index PostgreSQL picks
on its own; on PostgreSQL they render exactly as before.
"""

from django.db.models import Value


class Constant(Value):
    """A string written into the statement on SQLite, a parameter elsewhere. SQLite uses
    a partial index only when the query repeats the index's condition with the same
    values, which a bound parameter (unknown when the plan is made) never is. Only for
    the product's own constants, never for input."""

    def as_sqlite(self, compiler, connection, **extra_context):
        text = str(self.value)
        return "'" + text.replace("'", "''") + "'", []

