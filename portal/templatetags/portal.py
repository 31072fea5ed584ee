"""Plain words for end users: statuses, people's names, file sizes and service states."""

from django import template
from django.utils.translation import gettext_lazy as _

from incidents.choices import Status

register = template.Library()

STATUS_WORDS = {
    Status.NEW: _("Received: waiting for the service desk"),
    Status.ACKNOWLEDGED: _("Acknowledged: someone is looking at it"),
    Status.IN_PROGRESS: _("Being worked on"),
    Status.ON_HOLD: _("On hold"),
    Status.RESOLVED: _("Resolved: please check it is fixed"),
    Status.CLOSED: _("Closed"),
    Status.CANCELLED: _("Cancelled"),
}


# What a status means for the person waiting, shown next to its badge.
STATUS_HINTS = {
    Status.NEW: _("waiting for the service desk to pick it up"),
    Status.ACKNOWLEDGED: _("someone is looking at it"),
    Status.IN_PROGRESS: _("someone is working on it"),
    Status.ON_HOLD: _("waiting for something outside the service desk"),
    Status.RESOLVED: _("please check that it works for you"),
    Status.CLOSED: "",
    Status.CANCELLED: "",
}


@register.filter
def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status)


@register.filter
def status_hint(status: str) -> str:
    return STATUS_HINTS.get(status, "")


@register.filter
def person(user, viewer=None) -> str:
    """How a person is named to other users: their name, never their e-mail address."""
    if user is None:
        return "Service desk"
    if viewer is not None and getattr(viewer, "pk", None) == user.pk:
        return "You"
    name = user.get_full_name().strip()
    return name or user.get_username().split("@", 1)[0]


@register.filter
def css_token(value: str) -> str:
    """A value safe to use in a class name (status and state values are slugs already)."""
    return "".join(ch if ch.isalnum() else "-" for ch in str(value))


# Where the notification preferences live, if that part of the product is installed.
PREFERENCE_PATHS = ("/notifications/preferences/", "/portal/preferences/")


@register.simple_tag
def preferences_url() -> str:
    """The path of the notification preferences page, or "" when there is none."""
    from django.urls import Resolver404, resolve

    for candidate in PREFERENCE_PATHS:
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


def _first_error(form) -> str | None:
    return next((name for name in form.fields if name in form.errors), None)


@register.filter
def focus_first_error(field):
    """The field's input, with `autofocus` when it is the form's first field in error (and
    without it on any other field), so after a refused submit the cursor and a screen reader
    land on what needs correcting, without a script."""
    first = _first_error(field.form) if field.form.is_bound else None
    if first is None:  # nothing to correct in a field: the form's own focus stands
        return field
    return field.as_widget(attrs={"autofocus": field.name == first})
