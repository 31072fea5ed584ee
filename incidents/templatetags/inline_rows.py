"""The rows of the change page's comment and attachment tables, written out in Python.

Django's `admin/edit_inline/tabular.html` walks every form of an inline through three
nested loops and some twenty template lookups per cell; for the incident page's two
inlines that was about an eighth of the page's CPU. `inline_rows` writes the same text
(spacing included) that the template's loop writes; the rest of the table stays in our
copy of the template (incidents/templates/admin/incidents/edit_inline/append_only.html).
tests/admin/test_inline_template.py checks that the copy is Django's template with only
that loop replaced, and compares the pages rendered with each byte for byte.

Only what an append-only inline shows is covered: no change links (its rows cannot be
changed), which the tag refuses rather than leave out.
"""

from django import template
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.core.exceptions import ImproperlyConfigured
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def _cell(field, out) -> str:
    inner = field.field
    name = inner.get("name", "") if isinstance(inner, dict) else inner.name
    hidden = inner.get("is_hidden", "") if isinstance(inner, dict) else inner.is_hidden
    classes = (f"field-{out(name)}" if name else "") + (" hidden" if hidden else "")
    if field.is_readonly:
        shown = f"\n                  <p>{out(field.contents())}</p>\n              "
    else:
        shown = (
            f"\n                  {out(inner.errors.as_ul())}"
            f"\n                  {out(inner)}\n              "
        )
    return (
        f'\n              <td class="{classes}">\n              {shown}'
        "\n              </td>\n            "
    )


def _original(form, out) -> str:
    """The first cell's paragraph: the stored row's name, a "View on site" link."""
    if not (form.original or form.show_url):
        return ""
    text = "<p>\n          "
    if form.original:
        if form.model_admin.show_change_link:
            raise ImproperlyConfigured("Append-only inline rows have no change link.")
        text += f"\n          {out(form.original)}\n          \n          "
    text += "\n          "
    if form.show_url:
        text += f'<a href="{out(form.absolute_url)}">{out(gettext("View on site"))}</a>'
    return text + "\n            </p>"


def _row(formset, form, index: int, last: bool, out) -> str:
    empty = last and formset.has_add_permission
    errors = form.form.non_field_errors()
    text = "\n        "
    if errors:
        text += (
            f'\n        <tr class="row-form-errors"><td colspan="{out(cell_count(form))}">'
            f"{out(errors)}</td></tr>\n        "
        )
    has_original = "has_original" if form.original or form.show_url else ""
    pk = out(form.pk_field().field) if form.needs_explicit_pk_field() else ""
    fk = out(form.fk_field().field) if form.fk_field() else ""
    text += (
        f'\n        <tr class="form-row {has_original}{" empty-form" if empty else ""}"'
        f'\n             id="{out(formset.formset.prefix)}-{"empty" if empty else index}">'
        f'\n        <td class="original">\n          {_original(form, out)}'
        f"\n          {pk}\n          {fk}\n        </td>\n        "
    )
    for fieldset in form:
        text += "\n          "
        for line in fieldset:
            text += "\n            " + "".join(_cell(field, out) for field in line) + "\n          "
        text += "\n        "
    deletion = ""
    if formset.formset.can_delete and formset.has_delete_permission and form.original:
        deletion = out(form.deletion_field().field)
    return text + f'\n        <td class="delete">{deletion}</td>\n        </tr>\n     '


@register.simple_tag(takes_context=True)
def inline_rows(context, inline_admin_formset) -> str:
    """The table rows of `inline_admin_formset` as Django's tabular template writes them."""

    def out(value) -> str:  # `{{ value }}`: localised, escaped unless safe
        return render_value_in_context(value, context)

    forms = list(inline_admin_formset)
    rows = (
        _row(inline_admin_formset, form, index, index == len(forms) - 1, out)
        for index, form in enumerate(forms)
    )
    # Every value went through `out` (escaped unless safe), as in the template.
    return mark_safe("".join(rows))  # noqa: S308
