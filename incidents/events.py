"""The incident event outbox and the registry of whoever reacts to events.

Services call `record_event` inside their transaction. After commit the event id goes to
Celery; if the broker is down the row simply stays undispatched and the periodic sweep
(`incidents.tasks.sweep_event_outbox`) hands it over later. Apps register handlers in their
`AppConfig.ready()`; a handler must be idempotent, because an event can be dispatched twice.
"""

import logging
from collections.abc import Callable
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.models import Incident, IncidentEvent

logger = logging.getLogger(__name__)
EventHandler = Callable[[IncidentEvent], None]
_handlers: list[EventHandler] = []


def register_handler(handler: EventHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def handlers() -> list[EventHandler]:
    return list(_handlers)


def record_event(
    *,
    incident: Incident,
    kind: str,
    actor=None,
    channel: str,
    data: dict | None = None,
    dedup_key: str | None = None,
    at=None,
) -> IncidentEvent | None:
    """Store an event and dispatch it after commit. With `dedup_key`, an event recorded
    before (or concurrently) is not recorded again and None is returned."""
    fields = dict(
        incident=incident,
        kind=kind,
        actor=actor,
        channel=channel,
        data=data or {},
        dedup_key=dedup_key,
        created_at=at or timezone.now(),
    )
    if dedup_key:
        try:
            with transaction.atomic():
                event = IncidentEvent.objects.create(**fields)
        except IntegrityError:
            return None
    else:
        event = IncidentEvent.objects.create(**fields)
    transaction.on_commit(partial(publish_event, event.pk), robust=True)
    return event


def publish_event(event_id: int) -> None:
    """Hand an event to the broker; a failure leaves it for the outbox sweep."""
    from incidents.tasks import dispatch_event

    try:
        dispatch_event.delay(event_id)
    except Exception:  # broker down: kombu raises several types; the sweep retries later
        logger.warning("Broker unavailable; event %s stays in the outbox", event_id, exc_info=True)


def run_handlers(event: IncidentEvent) -> None:
    for handler in _handlers:
        handler(event)
