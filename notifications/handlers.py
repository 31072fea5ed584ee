"""The incident-event handler that turns events into e-mails (registered in apps.py)."""

from incidents.models import IncidentEvent
from notifications.services import delivery_enqueue, notifications_create_many


def notify_event(event: IncidentEvent) -> None:
    """Create the event's notification rows and publish their send tasks. Idempotent: run
    twice, it creates nothing new and re-publishes only rows still PENDING, which the send
    task claims before sending."""
    notify_events([event])


def notify_events(events: list[IncidentEvent]) -> None:
    """The same for a dispatched batch: the rows of all its events are written together,
    and sent in batches that mix events, BATCH_SIZE messages per task and SMTP connection."""
    delivery_enqueue(notifications_create_many(events=events))
