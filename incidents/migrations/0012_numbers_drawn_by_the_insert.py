"""On PostgreSQL a new incident's INSERT draws its own number (one round trip less per
create): a function that takes the next value of a `NumberSequence` counter (creating the
row on first use, as `NumberSequence.draw` does) and formats it like
`incidents.numbers.format_number`. The counter stays the one source of numbers, and its row
stays locked until commit."""

from django.db import migrations

import incidents.models.incident

CREATE = """
CREATE OR REPLACE FUNCTION itsm_draw_number(counter text, prefix text) RETURNS text
LANGUAGE sql VOLATILE AS $$
    INSERT INTO incidents_numbersequence (name, last_value) VALUES (counter, 1001)
    ON CONFLICT (name) DO UPDATE SET last_value = incidents_numbersequence.last_value + 1
    RETURNING prefix || lpad(last_value::text, greatest(7, length(last_value::text)), '0')
$$
"""
DROP = "DROP FUNCTION IF EXISTS itsm_draw_number(text, text)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0011_incident_labels")]

    operations = [
        migrations.AlterField(
            model_name="incident",
            name="number",
            field=incidents.models.incident.NumberField(
                editable=False, max_length=12, unique=True, verbose_name="number"
            ),
        ),
        migrations.AlterField(
            model_name="historicalincident",
            name="number",
            field=incidents.models.incident.NumberField(
                db_index=True, editable=False, max_length=12, verbose_name="number"
            ),
        ),
        migrations.RunPython(create, drop),
    ]
