"""Indexes behind incident search (incidents/search.py) on PostgreSQL; nothing on SQLite.

The expressions must stay identical to `DOCUMENT` and `TITLE` in incidents/search.py, or the
planner cannot use them. pg_trgm is a trusted extension (PostgreSQL 13+): the database's
owner may create it without being a superuser.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS incident_search_document ON incidents_incident USING gin "
    "((to_tsvector('english'::regconfig, replace(title || ' ' || description, '-', ''))))",
    "CREATE INDEX IF NOT EXISTS incident_search_title_trgm ON incidents_incident USING gin "
    "((replace(title, '-', '')) gin_trgm_ops)",
]
# The extension stays: other database objects may use it, and it costs nothing.
BACKWARD = [
    "DROP INDEX IF EXISTS incident_search_title_trgm",
    "DROP INDEX IF EXISTS incident_search_document",
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
