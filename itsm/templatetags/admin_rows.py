"""The admin's fieldsets, laid out once per render.

Django's `admin/includes/fieldset.html` iterates each line of a fieldset twice (once for
the row's class names, once for its fields), builds a new field wrapper on every pass, and
asks each line for its length and errors several times. The incident page renders six
fieldsets with about fifty fields: that was a third of the page's CPU. `fieldset_rows`
does the same work once per line; the template (ours, in itsm/templates) renders exactly
the HTML Django's does.
"""

from dataclasses import dataclass

from django import template

register = template.Library()


@dataclass(frozen=True)
class Row:
    fields: list  # AdminField / AdminReadonlyField, built once
    single: bool  # one field on the line
    errors: str  # the line's errors (only shown for a single field)
    has_visible_field: bool
    name_classes: str  # " field-<name>" for each field with a name


def _name(field) -> str:
    """`field.field.name` as the template resolves it: a bound field's attribute, or the
    "name" key of a read-only field's dict."""
    inner = field.field
    if isinstance(inner, dict):
        return inner.get("name") or ""
    return getattr(inner, "name", "") or ""


@register.simple_tag
def fieldset_rows(fieldset) -> list[Row]:
    rows = []
    for line in fieldset:
        fields = list(line)
        single = len(line.fields) == 1
        rows.append(
            Row(
                fields=fields,
                single=single,
                errors=line.errors() if single else "",
                has_visible_field=line.has_visible_field,
                name_classes="".join(f" field-{name}" for f in fields if (name := _name(f))),
            )
        )
    return rows
