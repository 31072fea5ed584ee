"""Enumerations of the incident domain, with the colours and defaults that belong next to them.

Which action is allowed from which status lives in `incidents.workflow`.
"""

from functools import cache

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


def choice_label(choices: type[models.TextChoices], value) -> str:
    """What `get_FOO_display()` shows for `value`, in the active language: its label, or
    the value itself when it is not one of the choices."""
    return force_str(_labels(choices).get(value, value), strings_only=True)


@cache
def _labels(choices: type[models.TextChoices]) -> dict:
    return dict(choices.choices)


class Level(models.TextChoices):
    """Impact and urgency share one three-step scale."""

    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Priority(models.TextChoices):
    P1 = "P1", _("P1 - Critical")
    P2 = "P2", _("P2 - High")
    P3 = "P3", _("P3 - Moderate")
    P4 = "P4", _("P4 - Low")
    P5 = "P5", _("P5 - Planning")


PRIORITY_COLOURS = {
    Priority.P1: "#b91c1c",
    Priority.P2: "#c2410c",
    Priority.P3: "#a16207",
    Priority.P4: "#1d4ed8",
    Priority.P5: "#4b5563",
}

# Plain words for end users, who should not need to know what "P2" means.
PRIORITY_PLAIN_WORDS = {
    Priority.P1: _("Critical: being worked on immediately"),
    Priority.P2: _("High: being worked on urgently"),
    Priority.P3: _("Normal"),
    Priority.P4: _("Low"),
    Priority.P5: _("Planned: handled when time allows"),
}


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ON_HOLD)
# Open incidents of these priorities (or flagged major) mean the service is down.
OUTAGE_PRIORITIES = (Priority.P1, Priority.P2)
FINAL_STATUSES = (Status.CLOSED, Status.CANCELLED)

STATUS_COLOURS = {
    Status.NEW: "#7c3aed",
    Status.ACKNOWLEDGED: "#2563eb",
    Status.IN_PROGRESS: "#0891b2",
    Status.ON_HOLD: "#a16207",
    Status.RESOLVED: "#15803d",
    Status.CLOSED: "#4b5563",
    Status.CANCELLED: "#6b7280",
}


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")
    MONITORING = "monitoring", _("Monitoring")
    PHONE = "phone", _("Phone")
    ADMIN = "admin", _("Admin")
    SYSTEM = "system", _("System")
    PAGE = "page", _("Page")  # the acknowledge link or reply of a page


class ServiceStatus(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    DEGRADED = "degraded", _("Degraded performance")
    OUTAGE = "outage", _("Outage")
    MAINTENANCE = "maintenance", _("Under maintenance")


class EventKind(models.TextChoices):
    """What happened to an incident; every service records one, consumers react to it."""

    CREATED = "created", _("Created")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    STARTED = "started", _("Work started")
    ASSIGNED = "assigned", _("Assigned")
    UPDATED = "updated", _("Updated")
    PRIORITY_CHANGED = "priority_changed", _("Priority changed")
    HELD = "held", _("Put on hold")
    RESUMED = "resumed", _("Resumed")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    COMMENTED = "commented", _("Public update")
    WORK_NOTE = "work_note", _("Work note")
    ATTACHED = "attached", _("Attachment added")
    MERGED = "merged", _("Merged")
    LINKED = "linked", _("Linked")
    MAJOR_DECLARED = "major_declared", _("Major incident declared")
    WATCHED = "watched", _("Watcher added")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality changed")
    SLA_WARNING = "sla_warning", _("SLA at risk")
    SLA_BREACHED = "sla_breached", _("SLA breached")
    UPDATE_OVERDUE = "update_overdue", _("Public update overdue")
    # Engagement: which team became responsible and how; each escalation step fired.
    ROUTED = "routed", _("Routed")
    ESCALATED = "escalated", _("Escalation step")


class SlaClock(models.TextChoices):
    RESPONSE = "response", _("Response")
    RESOLUTION = "resolution", _("Resolution")
