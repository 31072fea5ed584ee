"""What article search (knowledge/search.py, by incidents/search.py's rule) reads on
PostgreSQL; nothing on SQLite. The same shape as incidents' 0008_search_indexes: a stored
generated `search_document` over title and body (hyphens dropped), a GIN index on it, and a
trigram GIN index on the title with hyphens dropped (the exact expression of
`incidents.search.TITLE`). The model does not declare the column; PostgreSQL refuses to
change the type of `title` or `body` while it depends on them: drop it first."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE knowledge_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english'::regconfig, replace(title || ' ' || body, '-', ''))) STORED",
    "CREATE INDEX article_search_document ON knowledge_article USING gin (search_document)",
    "CREATE INDEX article_search_title_trgm ON knowledge_article USING gin "
    "((replace(title, '-', '')) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS article_search_title_trgm",
    "DROP INDEX IF EXISTS article_search_document",
    "ALTER TABLE knowledge_article DROP COLUMN IF EXISTS search_document",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
