"""The form renderer: Django's, with the commonest widgets written out in Python.

Every input, hidden input, select, text area and radio list is rendered by Django through
three or four small templates (the widget's, `input.html`, `attrs.html`, one per option),
and so is every label and every field's error list, empty or not. The incident page
renders about fifty widgets and forty labels and error lists, and each costs a template
render: together about a tenth of the page's CPU. `FastWidgetsRenderer` produces the same
HTML for those directly (an error list only when it is empty), and hands everything else
(and any context it does not expect) to Django's templates. It checks at start that the
templates it stands in for are the ones it was written against; a Django upgrade that
changes them switches it off rather than render something different.
`tests/admin/test_form_renderer.py` compares both on every widget of the project's forms.
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
TEXTAREA = (
    '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
    "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
)
MULTIPLE_INPUT = (
    '{% with id=widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}'
    '{% if widget.attrs.class %} class="{{ widget.attrs.class }}"{% endif %}>'
    "{% for group, options, index in widget.optgroups %}{% if group %}\n"
    "  <div><label>{{ group }}</label>{% endif %}{% for option in options %}<div>\n"
    "    {% include option.template_name with widget=option %}</div>{% endfor %}"
    "{% if group %}\n  </div>{% endif %}{% endfor %}\n</div>{% endwith %}\n"
)
INPUT_OPTION = (
    '{% if widget.wrap_label %}<label{% if widget.attrs.id %} for="{{ widget.attrs.id }}"'
    '{% endif %}>{% endif %}{% include "django/forms/widgets/input.html" %}'
    "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}\n"
)
RADIO = '{% include "django/forms/widgets/multiple_input.html" %}\n'
RADIO_OPTION = '{% include "django/forms/widgets/input_option.html" %}\n'
# A form's label and an error list (empty on almost every field of a page).
LABEL = (
    "{% if use_tag %}<{{ tag }}{% include 'django/forms/attrs.html' %}>{{ label }}</{{ tag }}>"
    "{% else %}{{ label }}{% endif %}\n"
)
FORM_ATTRS = ATTRS.replace("widget.attrs", "attrs")
ERRORS_UL = (
    '{% if errors %}<ul class="{{ error_class }}"{% if errors.field_id %} '
    'id="{{ errors.field_id }}_error"{% endif %}>{% for error in errors %}<li>{{ error }}</li>'
    "{% endfor %}</ul>{% endif %}"
)
ERRORS_DEFAULT = '{% include "django/forms/errors/list/ul.html" %}'
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


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _radio_option(option: dict) -> str:
    """radio_option.html: input_option.html and its end of line."""
    if option.get("template_name") != WIDGETS + "radio_option.html":
        raise Unexpected
    html = _input(option) + "\n"
    if option["wrap_label"]:
        label_id = option["attrs"].get("id")
        target = f' for="{_text(label_id)}"' if label_id else ""
        html = f"<label{target}>{html} {_text(option['label'])}</label>"
    return html + "\n\n"


def _radio(widget: dict) -> str:
    attrs = widget["attrs"]
    html = "<div"
    if attrs.get("id"):
        html += f' id="{_text(attrs["id"])}"'
    if attrs.get("class"):
        html += f' class="{_text(attrs["class"])}"'
    html += ">"
    for group, options, _index in widget["optgroups"]:
        if group:
            html += f"\n  <div><label>{_text(group)}</label>"
        html += "".join(f"<div>\n    {_radio_option(option)}</div>" for option in options)
        if group:
            html += "\n  </div>"
    return html + "\n</div>"


def _label(context: dict) -> str:
    if not context["use_tag"]:
        return _text(context["label"]).strip()
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{_text(context['label'])}</{tag}>"


def _no_errors(context: dict) -> str:
    if context["errors"]:
        raise Unexpected  # the list itself: Django's template
    return ""


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
        fast = self._fast_forms.get(template_name)
        if fast is not None:
            try:
                return fast(context)
            except (Unexpected, KeyError):
                pass
        return super().render(template_name, context, request)

    @cached_property
    def _fast_forms(self) -> dict:
        """Labels and empty error lists, by the same rule as the widgets."""

        def source(name: str) -> str:
            return self.engine.get_template("django/forms/" + name).template.source

        fast = {}
        if (source("label.html"), source("attrs.html")) == (LABEL, FORM_ATTRS):
            fast["django/forms/label.html"] = _label
        if (source("errors/list/ul.html"), source("errors/list/default.html")) == (
            ERRORS_UL,
            ERRORS_DEFAULT,
        ):
            fast["django/forms/errors/list/ul.html"] = _no_errors
            fast["django/forms/errors/list/default.html"] = _no_errors
        return fast

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
        if source("textarea.html") == TEXTAREA:
            fast[WIDGETS + "textarea.html"] = _textarea
        radio = (
            source(f"{name}.html")
            for name in ("radio", "multiple_input", "radio_option", "input_option")
        )
        if tuple(radio) == (RADIO, MULTIPLE_INPUT, RADIO_OPTION, INPUT_OPTION):
            fast[WIDGETS + "radio.html"] = _radio
        return fast
