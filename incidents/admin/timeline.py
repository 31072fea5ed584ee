"""The change page's timeline in words: history diffs name the service, the person or the
status instead of their ids and codes (one query per kind of related object at most)."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from incidents.admin.users import user_label
from incidents.models import Category, HoldReason, Incident, ResolutionCode, Service, Team
from incidents.selectors import TimelineEntry, incident_timeline

HIDDEN = {"response_warn_at", "resolution_warn_at", "sla_paused_seconds"}
_RELATED = {
    "service": (Service, str),
    "team": (Team, str),
    "category": (Category, str),
    "hold_reason": (HoldReason, str),
    "resolution_code": (ResolutionCode, str),
    "assignee": (None, user_label),
    "reporter": (None, user_label),
    "parent": (Incident, lambda incident: incident.number),
    "duplicate_of": (Incident, lambda incident: incident.number),
    "recurrence_of": (Incident, lambda incident: incident.number),
}


def _labels(entries: list[TimelineEntry]) -> dict[str, dict[str, str]]:
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.kind != "history":
            continue
        for name, old, new in entry.changes:
            if name in _RELATED:
                wanted.setdefault(name, set()).update(v for v in (old, new) if v)
    labels = {}
    for name, ids in wanted.items():
        model, label = _RELATED[name]
        queryset = (model or get_user_model()).objects.filter(pk__in=ids)
        if model is Category:
            queryset = queryset.select_related("parent")
        labels[name] = {str(obj.pk): label(obj) for obj in queryset}
    return labels


def _readable(name: str, value: str, labels) -> str:
    if not value:
        return "–"
    if name in labels:
        return labels[name].get(value, f"#{value}")
    field = Incident._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    moment = parse_datetime(value) if field.get_internal_type() == "DateTimeField" else None
    if isinstance(moment, datetime):
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
    return value if len(value) <= 120 else value[:119] + "…"


def readable_timeline(incident: Incident) -> list[TimelineEntry]:
    """`incident_timeline`, newest first, with diffs a person can read."""
    entries = incident_timeline(incident)
    labels = _labels(entries)
    for entry in entries:
        if entry.kind != "history":
            continue
        entry.changes = [
            (
                str(Incident._meta.get_field(name).verbose_name),
                _readable(name, old, labels),
                _readable(name, new, labels),
            )
            for name, old, new in entry.changes
            if name not in HIDDEN
        ]
    return list(reversed(entries))
