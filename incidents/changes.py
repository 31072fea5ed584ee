"""History in words, one rule for every door that shows it: the admin's history pages and
the incident change page's timeline, the review's generated timeline and the portal.

- A moment is shown in the viewer's time zone (the active one) to the minute, one format
  everywhere (`when`).
- People by name (`user_label`), related rows by their name, choices by their label, yes
  and no for flags, "–" for nothing.
- A change whose before and after read the same is no change: a due time moved by
  seconds (`is_noop`), a field that only counts versions or restarts hidden clocks.
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# Bookkeeping nobody reads as a change: the edit counter and derived warning times.
HIDDEN = {"version", "updated_at", "response_warn_at", "resolution_warn_at", "sla_paused_seconds"}
NOTHING = "–"
MAX_VALUE = 120
Change = tuple[str, str, str]  # field name, old, new (as stored: ids, codes, ISO 8601)


def when(moment: datetime | None) -> str:
    """A moment as every history and timeline shows it: "2026-12-01 09:15", local time."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def as_text(value) -> str:
    """A stored value as the timeline keeps it: ISO 8601 for moments, "" for nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def is_noop(old, new) -> bool:
    """Moments within the same minute read the same everywhere, so they did not change."""
    old, new = _moment(old), _moment(new)
    if old is None or new is None:
        return False
    return old.replace(second=0, microsecond=0) == new.replace(second=0, microsecond=0)


def _moment(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    return parse_datetime(value) if isinstance(value, str) and value else None


def _label_of(model):
    # Imported here: the admin package imports the selectors, which import this module.
    from incidents.admin.users import user_label

    if model is get_user_model():
        return user_label
    if getattr(model._meta, "label", "") == "incidents.Incident":
        return lambda incident: incident.number
    return str


def labels(model, changes: Iterable[Change]) -> dict[str, dict[str, str]]:
    """Names of the related rows the changes point at: one query per related model."""
    wanted: dict[str, set[str]] = {}
    for name, old, new in changes:
        field = _field(model, name)
        if isinstance(field, models.ForeignKey):
            wanted.setdefault(name, set()).update(v for v in (old, new) if v)
    found = {}
    for name, ids in wanted.items():
        related = _field(model, name).related_model
        queryset = related._default_manager.filter(pk__in=ids)
        if related._meta.label == "incidents.Category":
            queryset = queryset.select_related("parent")
        found[name] = {str(obj.pk): _label_of(related)(obj) for obj in queryset}
    return found


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # history of a field since removed from the model
        return None


def readable(model, name: str, value: str, found: dict[str, dict[str, str]]) -> str:
    """One stored value in words (see the module docstring)."""
    field = _field(model, name)
    if value in ("", None):
        return NOTHING
    if name in found:
        return found[name].get(value, f"#{value}")
    if isinstance(field, models.BooleanField):
        return "yes" if value in ("True", "true", "1") else "no"
    if field is not None and field.choices:
        return str(dict(field.choices).get(value, value))
    moment = _moment(value) if isinstance(field, models.DateTimeField) else None
    if moment is not None:
        return when(moment)
    return value if len(value) <= MAX_VALUE else value[: MAX_VALUE - 1] + "…"


def in_words(model, changes: list[Change], found) -> list[Change]:
    """Changes a person can read: field names spelled out, values in words, bookkeeping
    and changes that read the same before and after left out."""
    shown = []
    for name, old, new in changes:
        if name in HIDDEN or old == new or is_noop(old, new):
            continue
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name
        shown.append((label, readable(model, name, old, found), readable(model, name, new, found)))
    return shown
