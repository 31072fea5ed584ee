"""Template filters for histories and timelines: one way to show a moment and a person
(`incidents.changes`)."""

from django import template

from incidents import changes

register = template.Library()


@register.filter
def when(moment) -> str:
    """`{{ entry.at|when }}`: "2026-12-01 09:15", in the viewer's time zone."""
    return changes.when(moment)


@register.filter
def person(user) -> str:
    """`{{ record.history_user|person }}`: the full name, else the username."""
    from incidents.admin.users import user_label

    return user_label(user)
