"""The incident-event handler that turns events into e-mails (registered in apps.py)."""

from incidents.models import IncidentEvent
from notifications.services import delivery_enqueue, notifications_create


def notify_event(event: IncidentEvent) -> None:
    """Create the event's notification rows and publish their send tasks. Idempotent: run
    twice, it creates nothing new and re-publishes only rows still PENDING, which the send
    task claims before sending."""
    delivery_enqueue(notifications_create(event=event))
