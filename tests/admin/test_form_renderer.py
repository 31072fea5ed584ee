"""The form renderer writes inputs and selects out in Python: the HTML must be exactly
what Django's templates render, for every widget of every admin form and for the edge
values a template treats specially (None, True/False attributes, safe and unsafe text,
numbers, option groups)."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from itsm.form_renderer import FastWidgetsRenderer

DJANGOS, OURS = DjangoTemplates(), FastWidgetsRenderer()


def test_it_stands_in_for_inputs_and_selects():
    assert "django/forms/widgets/select.html" in OURS._fast
    assert "django/forms/widgets/hidden.html" in OURS._fast


def both(widget, name, value, attrs=None) -> tuple[str, str]:
    return (
        widget.render(name, value, attrs, renderer=DJANGOS),
        widget.render(name, value, attrs, renderer=OURS),
    )


@pytest.mark.parametrize(
    "widget, value",
    [
        (forms.TextInput(), None),
        (forms.TextInput(), ""),
        (forms.TextInput(), "<b>\"quoted\" & 'apostrophe'</b>"),
        (forms.TextInput(), mark_safe("<i>safe</i>")),
        (forms.TextInput(attrs={"required": True, "disabled": False, "maxlength": 200}), "x"),
        (forms.TextInput(attrs={"placeholder": '"<x>"', "data-none": None}), "x"),
        (forms.NumberInput(), 12345),
        (forms.NumberInput(), Decimal("12.50")),
        (forms.DateInput(), date(2026, 12, 1)),
        (forms.EmailInput(), "a@example.com"),
        (forms.URLInput(), "https://example.com/?a=1&b=2"),
        (forms.PasswordInput(render_value=True), "secret"),
        (forms.HiddenInput(), 42),
        (forms.HiddenInput(), None),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.Select(choices=[("", "---"), ("a", "A & B"), (1, 2)]), "a"),
        (forms.Select(choices=[("g", [("x", "X"), ("y", "<Y>")]), ("z", "Z")]), "y"),
        (forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]), ["a", "c"]),
        (forms.NullBooleanSelect(), None),
    ],
)
def test_edge_values_render_as_with_djangos_templates(widget, value):
    djangos, ours = both(widget, "field", value, {"id": "id_field"})
    assert ours == djangos


def every_admin_form(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    for model_admin in admin.site._registry.values():
        yield model_admin.get_form(request)()
        for inline in model_admin.get_inline_instances(request):
            yield inline.get_formset(request)().empty_form


def test_every_widget_of_every_admin_form_renders_as_with_djangos_templates(rf, superuser, service):
    rendered = 0
    for form in every_admin_form(rf, superuser):
        for field in form:
            form.renderer = DJANGOS
            djangos = field.as_widget()
            form.renderer = OURS
            assert field.as_widget() == djangos, (type(form).__name__, field.name)
            rendered += 1
    assert rendered > 300
