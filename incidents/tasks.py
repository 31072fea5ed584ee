"""Celery tasks of the incident domain. They take ids, re-read state and call services."""

import logging
import time
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


DRAIN_BATCH = 200  # events handled together: one read, bulk writes in the handlers
DRAIN_SECONDS = 20  # then the task hands over to a fresh one, so no task runs for ever


@shared_task
def dispatch_outbox() -> int:
    """Dispatch every event waiting in the outbox, a batch at a time, oldest first. Clears
    the "drain scheduled" flag before reading (see incidents.events), and re-publishes
    itself if the outbox is still not empty after DRAIN_SECONDS."""
    from incidents.events import cache_forget_drain, schedule_drain

    cache_forget_drain()
    handled, deadline = 0, time.monotonic() + DRAIN_SECONDS
    while True:
        claimed = dispatch_batch(limit=DRAIN_BATCH)
        handled += claimed
        if claimed < DRAIN_BATCH:
            return handled
        if time.monotonic() > deadline:
            schedule_drain()
            return handled


def dispatch_batch(*, limit: int = DRAIN_BATCH) -> int:
    """Claim up to `limit` undispatched events (rows other workers hold are skipped), run
    the handlers on them together and mark them dispatched, in one transaction. If the
    batch fails, each event is tried alone, so one bad event cannot hold up the others:
    it stays in the outbox, is logged, and is tried again by later drains and the sweep."""
    from incidents.events import run_batch_handlers
    from incidents.models import IncidentEvent

    def claim(ids=None):
        waiting = IncidentEvent.objects.filter(dispatched_at__isnull=True)
        if ids is not None:
            waiting = waiting.filter(pk__in=ids)
        locked = waiting.select_for_update(skip_locked=True, of=("self",))
        return list(locked.select_related("incident__team").order_by("pk")[:limit])

    def handle(events):
        run_batch_handlers(events)
        done = [event.pk for event in events]
        IncidentEvent.objects.filter(pk__in=done).update(dispatched_at=timezone.now())

    try:
        with transaction.atomic():
            events = claim()
            if events:
                handle(events)
            return len(events)
    except Exception:
        logger.exception("A batch of events failed; trying them one by one")
    handled = 0
    for event_id in (
        IncidentEvent.objects.filter(dispatched_at__isnull=True)
        .order_by("pk")[:limit]
        .values_list("pk", flat=True)
    ):
        try:
            with transaction.atomic():
                events = claim([event_id])
                if events:
                    handle(events)
                    handled += 1
        except Exception:
            logger.exception("Handlers failed for event %s; it stays in the outbox", event_id)
    return handled


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
