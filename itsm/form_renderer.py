"""The form renderer: Django's, with the commonest widgets written out in Python.

Every input, hidden input and select is rendered by Django through three or four small
templates (the widget's, `input.html`, `attrs.html`, one per option). The incident page
renders about fifty of them, and each costs a template render: together about a tenth of
the page's CPU. `FastWidgetsRenderer` produces the same HTML for those widgets directly,
and hands everything else (and any widget whose context it does not expect) to Django's
templates. It checks at start that the templates it stands in for are the ones it was
written against; a Django upgrade that changes them switches it off rather than render
something different. `tests/admin/test_form_renderer.py` compares both on every widget of
the project's forms.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
# The templates as Django 5.2 ships them (the end of line of each file included).
INPUT = (
    '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
    " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
    '{% include "django/forms/widgets/attrs.html" %}>\n'
)
ATTRS = (
    "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
    "{% endfor %}"
)
SELECT = (
    '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
    "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
    '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
    "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
    "  </optgroup>{% endif %}{% endfor %}\n"
    "</select>\n"
)
OPTION = (
    "<option value=\"{{ widget.value|stringformat:'s' }}\""
    '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
)
INCLUDES_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
INPUT_LIKE = [
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
]


class Unexpected(Exception):
    """A context the Python rendering does not cover: Django's templates render it."""


def _text(value) -> str:
    """`{{ value }}`: localised, escaped unless already safe."""
    if callable(value):
        raise Unexpected  # a template would call it
    return str(conditional_escape(localize(value)))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe."""
    if callable(value):
        raise Unexpected
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - exactly what the filter does
    except (TypeError, ValueError):
        return ""
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}")
        if value is not True:
            parts.append(f'="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 - as the template
    kind, name = _text(widget["type"]), _text(widget["name"])
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def _option(option: dict) -> str:
    if option.get("template_name") != WIDGETS + "select_option.html":
        raise Unexpected
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FastWidgetsRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        fast = self._fast.get(template_name)
        if fast is not None and set(context) == {"widget"}:
            try:
                return fast(context["widget"])
            except (Unexpected, KeyError):
                pass
        return super().render(template_name, context, request)

    @cached_property
    def _fast(self) -> dict:
        def source(name: str) -> str:
            return self.engine.get_template(WIDGETS + name).template.source

        if (source("input.html"), source("attrs.html")) != (INPUT, ATTRS):
            return {}
        fast = {WIDGETS + "input.html": _input}
        for kind in INPUT_LIKE:
            if source(f"{kind}.html") == INCLUDES_INPUT:
                fast[WIDGETS + f"{kind}.html"] = _input
        if (source("select.html"), source("select_option.html")) == (SELECT, OPTION):
            fast[WIDGETS + "select.html"] = _select
        return fast
