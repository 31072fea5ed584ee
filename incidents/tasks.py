"""Celery tasks of the incident domain. They take ids, re-read state and call services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, default_retry_delay=10)
def dispatch_event(self, event_id: int) -> None:
    """Run every registered handler for one event, then mark it dispatched. Handlers are
    idempotent, so a task delivered twice, or re-sent by the sweep, does no harm."""
    from incidents.events import run_handlers
    from incidents.models import IncidentEvent

    event = IncidentEvent.objects.select_related("incident").filter(pk=event_id).first()
    if event is None or event.dispatched_at is not None:
        return
    try:
        run_handlers(event)
    except Exception as exc:
        logger.exception("Handlers failed for event %s", event_id)
        raise self.retry(exc=exc, countdown=min(600, 10 * 2**self.request.retries)) from exc
    IncidentEvent.objects.filter(pk=event_id).update(dispatched_at=timezone.now())


@shared_task
def sweep_event_outbox(older_than_seconds: int = 30, limit: int = 500) -> int:
    """Re-publish events that never reached the broker (it was down at commit time)."""
    from incidents.events import publish_event
    from incidents.models import IncidentEvent

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = IncidentEvent.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
    ids = list(pending.order_by("created_at").values_list("pk", flat=True)[:limit])
    for event_id in ids:
        publish_event(event_id)
    return len(ids)


@shared_task
def check_sla_clocks() -> int:
    """Every minute: SLA warnings, breaches and overdue public updates."""
    from incidents import services

    with transaction.atomic():
        recorded = services.check_sla_clocks()
    with transaction.atomic():
        recorded += services.check_update_cadence()
    return recorded


@shared_task
def auto_close_resolved() -> int:
    """Close incidents that stayed resolved for the auto-close period."""
    from incidents import services

    return services.auto_close_resolved()
