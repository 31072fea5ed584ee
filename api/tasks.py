"""Celery tasks of the API app: outgoing webhook deliveries and their sweep."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db.models import F, Q
from django.utils import timezone

from itsm.celery import capped_countdown
from itsm.leases import expired_before
from itsm.retries import MAX_ATTEMPTS, attempts_left, backoff, claimable

logger = logging.getLogger(__name__)

# A PENDING delivery this old was never handed to a worker (broker down at the time).
SWEEP_GRACE = timedelta(seconds=30)


def _claimable(now) -> Q:
    """Waiting deliveries, and SENDING ones whose worker's claim lease lapsed."""
    from api.models import WebhookDelivery

    Status = WebhookDelivery.Status  # noqa: N806
    return claimable(now, waiting=[Status.PENDING, Status.RETRYING], sending=Status.SENDING)


def _claim(delivery_id: int):
    from api.models import WebhookDelivery

    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(_claimable(now), pk=delivery_id).update(
        status=WebhookDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


@shared_task(bind=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> str:
    """Send one webhook delivery. The row is claimed first (compare-and-set on its status),
    so a task delivered twice sends once; transient failures retry with backoff up to
    MAX_ATTEMPTS, then the delivery is marked failed. Returns the final status."""
    from api.models import WebhookDelivery
    from api.webhooks import post

    Status = WebhookDelivery.Status  # noqa: N806
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped"
    outcome = post(delivery) if delivery.endpoint.active else None
    if outcome is None:
        status, error, code = Status.FAILED, "The endpoint was deactivated.", None
    elif outcome.delivered:
        status, error, code = Status.DELIVERED, "", outcome.code
    elif outcome.retryable and attempts_left(delivery.attempts):
        status, error, code = Status.RETRYING, outcome.error, outcome.code
    else:
        status, error, code = Status.FAILED, outcome.error, outcome.code
    now, wait = timezone.now(), backoff(delivery.attempts)
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=status,
        error=error,
        response_code=code,
        delivered_at=now if status == Status.DELIVERED else None,
        next_attempt_at=now + timedelta(seconds=wait) if status == Status.RETRYING else None,
    )
    if status == Status.RETRYING:
        logger.info("Webhook delivery %s failed (%s); retrying", delivery_id, error)
        raise self.retry(countdown=capped_countdown(wait))
    return status


def webhooks_sweep(*, now=None, limit: int = 1000) -> list[int]:
    """Deliveries nobody is working on: never handed over, a retry whose task was lost, or
    claimed by a worker that died (lease lapsed; failed once interrupted MAX_ATTEMPTS
    times). Returns their ids; publishing them again is safe because the task claims the
    row before sending."""
    from api.models import WebhookDelivery

    Status = WebhookDelivery.Status  # noqa: N806
    now = now or timezone.now()
    WebhookDelivery.objects.filter(
        status=Status.SENDING, claimed_at__lt=expired_before(now), attempts__gte=MAX_ATTEMPTS
    ).update(status=Status.FAILED, error=f"Delivery was interrupted {MAX_ATTEMPTS} times.")
    lost = (
        Q(status=Status.PENDING, created_at__lte=now - SWEEP_GRACE)
        | Q(status=Status.RETRYING, next_attempt_at__lte=now - SWEEP_GRACE)
        | Q(status=Status.SENDING, claimed_at__lt=expired_before(now))
    )
    rows = WebhookDelivery.objects.filter(lost).order_by("pk")
    return list(rows.values_list("pk", flat=True)[:limit])


@shared_task
def sweep_webhook_deliveries() -> int:
    """Every 15 seconds (beat): publish again the deliveries `webhooks_sweep` finds. A
    broker still down leaves them for the next sweep."""
    ids = webhooks_sweep()
    for delivery_id in ids:
        try:
            deliver_webhook.delay(delivery_id)
        except Exception:  # broker down: kombu raises several types; the next sweep retries
            logger.warning("Broker unavailable; %d webhook deliveries wait", len(ids))
            break
    return len(ids)
