"""Enumerations of the incident domain, with the rules that belong next to them.

The allowed status transitions live here and only here (`TRANSITIONS`); services consult
them, and the admin and portal ask them which buttons to show.
"""

from django.db import models


class Level(models.TextChoices):
    """Impact and urgency share one three-step scale."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


Impact = Level
Urgency = Level


class Priority(models.TextChoices):
    P1 = "P1", "P1 - Critical"
    P2 = "P2", "P2 - High"
    P3 = "P3", "P3 - Moderate"
    P4 = "P4", "P4 - Low"
    P5 = "P5", "P5 - Planning"


PRIORITY_COLOURS = {
    Priority.P1: "#b91c1c",
    Priority.P2: "#c2410c",
    Priority.P3: "#a16207",
    Priority.P4: "#1d4ed8",
    Priority.P5: "#4b5563",
}

# Plain words for end users, who should not need to know what "P2" means.
PRIORITY_PLAIN_WORDS = {
    Priority.P1: "Critical: being worked on immediately",
    Priority.P2: "High: being worked on urgently",
    Priority.P3: "Normal",
    Priority.P4: "Low",
    Priority.P5: "Planned: handled when time allows",
}

# ITIL default; managers change it in the admin (incidents.PriorityRule).
DEFAULT_PRIORITY_MATRIX = {
    (Level.HIGH, Level.HIGH): Priority.P1,
    (Level.HIGH, Level.MEDIUM): Priority.P2,
    (Level.MEDIUM, Level.HIGH): Priority.P2,
    (Level.HIGH, Level.LOW): Priority.P3,
    (Level.MEDIUM, Level.MEDIUM): Priority.P3,
    (Level.LOW, Level.HIGH): Priority.P3,
    (Level.MEDIUM, Level.LOW): Priority.P4,
    (Level.LOW, Level.MEDIUM): Priority.P4,
    (Level.LOW, Level.LOW): Priority.P5,
}

# Defaults per priority: response minutes, resolution minutes, public update cadence minutes.
DEFAULT_SLA_TARGETS = {
    Priority.P1: (15, 4 * 60, 30),
    Priority.P2: (30, 8 * 60, 120),
    Priority.P3: (4 * 60, 3 * 24 * 60, 24 * 60),
    Priority.P4: (24 * 60, 5 * 24 * 60, 2 * 24 * 60),
    Priority.P5: (2 * 24 * 60, 10 * 24 * 60, 5 * 24 * 60),
}


class Status(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


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

# The workflow. Reopen (resolved -> in_progress) is further limited by the reopen window.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED},
    Status.ACKNOWLEDGED: {Status.IN_PROGRESS, Status.ON_HOLD, Status.RESOLVED, Status.CANCELLED},
    Status.IN_PROGRESS: {Status.ON_HOLD, Status.RESOLVED, Status.CANCELLED},
    Status.ON_HOLD: {Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED},
    Status.RESOLVED: {Status.CLOSED, Status.IN_PROGRESS},
    Status.CLOSED: set(),
    Status.CANCELLED: set(),
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


class Channel(models.TextChoices):
    PORTAL = "portal", "Portal"
    EMAIL = "email", "E-mail"
    API = "api", "API"
    MONITORING = "monitoring", "Monitoring"
    PHONE = "phone", "Phone"
    ADMIN = "admin", "Admin"
    SYSTEM = "system", "System"
    PAGE = "page", "Page"  # the acknowledge link or reply of a page


class ServiceStatus(models.TextChoices):
    OPERATIONAL = "operational", "Operational"
    DEGRADED = "degraded", "Degraded performance"
    OUTAGE = "outage", "Outage"
    MAINTENANCE = "maintenance", "Under maintenance"


SERVICE_STATUS_COLOURS = {
    ServiceStatus.OPERATIONAL: "#15803d",
    ServiceStatus.DEGRADED: "#a16207",
    ServiceStatus.OUTAGE: "#b91c1c",
    ServiceStatus.MAINTENANCE: "#2563eb",
}


class EventKind(models.TextChoices):
    """What happened to an incident; every service records one, consumers react to it."""

    CREATED = "created", "Created"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    STARTED = "started", "Work started"
    ASSIGNED = "assigned", "Assigned"
    UPDATED = "updated", "Updated"
    PRIORITY_CHANGED = "priority_changed", "Priority changed"
    HELD = "held", "Put on hold"
    RESUMED = "resumed", "Resumed"
    RESOLVED = "resolved", "Resolved"
    REOPENED = "reopened", "Reopened"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"
    COMMENTED = "commented", "Public update"
    WORK_NOTE = "work_note", "Work note"
    ATTACHED = "attached", "Attachment added"
    MERGED = "merged", "Merged"
    LINKED = "linked", "Linked"
    MAJOR_DECLARED = "major_declared", "Major incident declared"
    WATCHED = "watched", "Watcher added"
    CONFIDENTIALITY = "confidentiality", "Confidentiality changed"
    SLA_WARNING = "sla_warning", "SLA at risk"
    SLA_BREACHED = "sla_breached", "SLA breached"
    UPDATE_OVERDUE = "update_overdue", "Public update overdue"
    # Engagement: which team became responsible and how; each escalation step fired.
    ROUTED = "routed", "Routed"
    ESCALATED = "escalated", "Escalation step"


class SlaClock(models.TextChoices):
    RESPONSE = "response", "Response"
    RESOLUTION = "resolution", "Resolution"
