"""`{{ incident.title|isolate }}`: a title or name that cannot reorder the text around it
(see itsm.text.isolate). A builtin of every template (settings.TEMPLATES), no load needed."""

from django import template

from itsm.text import isolate as _isolate

register = template.Library()


@register.filter(is_safe=True)
def isolate(value):
    if value in (None, ""):
        return value
    return _isolate(value)
