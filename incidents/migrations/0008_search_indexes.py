"""What incident search (incidents/search.py) reads on PostgreSQL; nothing on SQLite.

- `search_document`, a stored generated column: the title and description as an English
  text-search vector, hyphens dropped. Stored rather than an expression index because a
  bitmap scan re-checks its rows, and computing the vector of a long description again
  for each of thousands of matches of a common word costs seconds; reading it does not.
  The model does not declare it: the database keeps it current on every write, whichever
  door writes. PostgreSQL refuses to change the type of `title` or `description` while it
  depends on them: drop it first and create it again after.
- a GIN index on it, and a trigram GIN index on the title with hyphens dropped (the exact
  expression `TITLE` in incidents/search.py compiles to, or the planner cannot use it).

pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it
without being a superuser. Adding the column rewrites the table (about half a minute at
100,000 incidents, writes waiting meanwhile).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE incidents_incident ADD COLUMN search_document tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english'::regconfig, replace(title || ' ' || description, '-', ''))) STORED",
    "CREATE INDEX incident_search_document ON incidents_incident USING gin (search_document)",
    "CREATE INDEX incident_search_title_trgm ON incidents_incident USING gin "
    "((replace(title, '-', '')) gin_trgm_ops)",
]
# The extension stays: other database objects may use it, and it costs nothing.
BACKWARD = [
    "DROP INDEX IF EXISTS incident_search_title_trgm",
    "DROP INDEX IF EXISTS incident_search_document",
    "ALTER TABLE incidents_incident DROP COLUMN IF EXISTS search_document",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            # Building the indexes over a large backlog outlasts the usual statement
            # timeout (DATABASE_STATEMENT_TIMEOUT); LOCAL ends with this migration's
            # transaction.
            cursor.execute("SET LOCAL statement_timeout = 0")
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0007_fallback_team"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
