"""The incident-event handler that turns events into e-mails (registered in apps.py)."""

from incidents.models import IncidentEvent
from notifications.services import delivery_enqueue, notifications_create_many


def notify_events(events: list[IncidentEvent]) -> None:
    """Create the notification rows of a dispatched batch of events, written together, and
    publish their send tasks in batches that mix events, BATCH_SIZE messages per task and
    SMTP connection. Idempotent: run twice, it creates nothing new and re-publishes only
    rows still PENDING, which the send task claims before sending."""
    delivery_enqueue(notifications_create_many(events=events))
