"""Reads of notifications: the incident timeline entries."""

from django.db.models import QuerySet

from incidents.models import Incident
from incidents.selectors import TimelineEntry
from notifications.models import DeliveryStatus, Notification
from notifications.recipients import kind_label

_OUTCOME = {
    DeliveryStatus.PENDING: "queued",
    DeliveryStatus.SENDING: "being sent",
    DeliveryStatus.SENT: "delivered",
    DeliveryStatus.FAILED: "failed",
}


def notification_rows(incident) -> QuerySet:
    """The notifications `notification_timeline` shows (`incident` may be an OuterRef)."""
    return Notification.objects.filter(incident=incident)


def notification_timeline(incident: Incident) -> list[TimelineEntry]:
    """One entry per notification: when, to whom, about which event, delivered or failed.
    One query."""
    rows = (
        notification_rows(incident)
        .select_related("event")
        .only("created_at", "sent_at", "address", "role", "status", "error", "event__kind")
    )
    entries = []
    for row in rows:
        outcome = _OUTCOME[row.status]
        body = f"To {row.address} ({row.get_role_display().lower()}) about: "
        body += kind_label(row.event)
        if row.status == DeliveryStatus.FAILED and row.error:
            body += f". Error: {row.error}"
        entries.append(
            TimelineEntry(
                at=row.sent_at or row.created_at,
                kind="notification",
                title=f"E-mail {outcome}",
                actor="system",
                body=body,
                public=False,
            )
        )
    return entries
