"""The admin's fieldsets, laid out once per render and written out in Python.

Django's `admin/includes/fieldset.html` iterates each line of a fieldset twice (once for
the row's class names, once for its fields), builds a new field wrapper on every pass, and
asks each line for its length and errors several times; and each of the twenty-odd
variables and conditions per field is a template lookup. The incident page renders six
fieldsets with about fifty fields: that was a third of the page's CPU, and the template's
own lookups, once the lines were laid out once, still a fifth. `fieldset_rows` writes the
rows out directly, with the same text (spacing included) the template's loop writes; the
fieldset's frame stays in our template (itsm/templates/admin/includes/fieldset.html).
tests/admin/test_fieldset_template.py renders the pages with Django's own template and
compares them byte for byte, so a Django upgrade that changes its template fails there.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

register = template.Library()


def _get(inner, name: str):
    """`field.field.<name>` as the template resolves it: a bound field's attribute, or
    the key of a read-only field's dict ("" when missing, as the template's default)."""
    if isinstance(inner, dict):
        return inner.get(name, "")
    return getattr(inner, name, "")


def _field(field, single: bool, out) -> str:
    """One field of a row: the loop body of Django's template, its text and spacing."""
    inner, readonly = field.field, field.is_readonly
    name = _get(inner, "name")
    hidden = _get(inner, "is_hidden")
    errors = "" if single or readonly else out(field.errors())
    box = ""
    if not single:
        box = " fieldBox"
        if name:
            box += f" field-{out(name)}"
        if errors:
            box += " errors"
        if hidden:
            box += " hidden"
    if field.is_checkbox:
        box += " checkbox-row"
        body = (
            "\n                            \n                                "
            f"{out(inner)}{out(field.label_tag())}\n                            "
        )
    else:
        shown = f'<div class="readonly">{out(field.contents())}</div>' if readonly else out(inner)
        body = (
            "\n                            \n                                "
            f"{out(field.label_tag())}\n                                "
            f"\n                                    {shown}\n                                "
            "\n                            "
        )
    help_html = ""
    help_text = _get(inner, "help_text")
    if help_text:
        label_id = _get(inner, "id_for_label")
        help_id = f' id="{out(label_id)}_helptext"' if label_id else ""
        help_html = (
            f'\n                        <div class="help{" hidden" if hidden else ""}"{help_id}>'
            f"\n                            <div>{help_text}</div>"
            "\n                        </div>\n                    "
        )
    return (
        f"\n                <div>\n                    {errors}"
        f'\n                        <div class="flex-container{box}">{body}\n'
        f"                        </div>\n                    {help_html}"
        "\n                </div>\n            "
    )


def _row(line, out) -> str:
    fields = list(line)
    single = len(line.fields) == 1
    errors = line.errors() if single else ""
    classes = " errors" if single and errors else ""
    if not line.has_visible_field:
        classes += " hidden"
    for field in fields:
        if name := _get(field.field, "name"):
            classes += f" field-{out(name)}"
    opening = out(errors) if single else '<div class="flex-container form-multiline">'
    return (
        f'\n        <div class="form-row{classes}">\n            {opening}\n            '
        + "".join(_field(field, single, out) for field in fields)
        + f"\n            {'' if single else '</div>'}\n        </div>\n    "
    )


@register.simple_tag(takes_context=True)
def fieldset_rows(context, fieldset) -> str:
    """The rows of `fieldset` as Django's fieldset template writes them."""

    def out(value) -> str:  # `{{ value }}`: localised, escaped unless safe
        return render_value_in_context(value, context)

    # Every value went through `out` (escaped unless safe), as in the template.
    return mark_safe("".join(_row(line, out) for line in fieldset))  # noqa: S308
