"""Enumerations of the incident domain, with the colours and defaults that belong next to them.

Which action is allowed from which status lives in `incidents.workflow`.
"""

from django.db import models


class Level(models.TextChoices):
    """Impact and urgency share one three-step scale."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


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
