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


def test_it_stands_in_for_inputs_selects_text_areas_radios_labels_and_empty_errors():
    for name in ("select", "hidden", "textarea", "radio"):
        assert f"django/forms/widgets/{name}.html" in OURS._fast
    for name in ("label", "errors/list/ul", "errors/list/default"):
        assert f"django/forms/{name}.html" in OURS._fast_forms


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
        (forms.Textarea(), None),
        (forms.Textarea(), ""),
        (forms.Textarea(attrs={"rows": 3, "cols": 60}), "<b>line</b>\n  second & 'third'"),
        (forms.Textarea(), mark_safe("<i>safe</i>")),
        (forms.Textarea(), 12345),
        (forms.RadioSelect(choices=[("a", "A & B"), ("b", "<B>")]), "b"),
        (forms.RadioSelect(choices=[("a", "A"), ("b", "B")]), None),
        (forms.RadioSelect(choices=[("g", [("x", "X"), ("y", "<Y>")]), ("z", "Z")]), "y"),
        (forms.RadioSelect(attrs={"class": "inline", "required": True}, choices=[(1, 2)]), 1),
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


class Everything(forms.Form):
    name = forms.CharField(label="Name <of it>", help_text="x")
    agreed = forms.BooleanField(label=mark_safe("<b>Agreed</b>"), required=False)
    kind = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    note = forms.CharField(widget=forms.Textarea, required=False)
    required_css_class = "required"


@pytest.mark.parametrize(
    "data", [None, {}, {"name": "<x>", "kind": "zz"}, {"name": "y", "kind": "a"}]
)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_labels_and_error_lists_render_as_with_djangos_templates(data, auto_id):
    def page(renderer) -> str:
        form = Everything(data, auto_id=auto_id, renderer=renderer)
        parts = [str(form), str(form.non_field_errors()), str(form.errors)]
        for field in form:
            parts += [field.label_tag(), field.label_tag(attrs={"class": "inline"}, tag="span")]
            parts += [str(field.errors), field.errors.as_ul(), str(field)]
        return "\n".join(parts)

    assert page(OURS) == page(DJANGOS)
