"""Celery tasks of the API app."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A claim older than this belongs to a worker that died while sending: take it over.
STALE_CLAIM = timedelta(minutes=5)


def backoff_seconds(attempt: int) -> int:
    """30 s, 1 min, 2 min, 4 min, 8 min: about a quarter of an hour in all."""
    return min(3600, 30 * 2 ** (attempt - 1))


def _claim(delivery_id: int):
    from api.models import WebhookDelivery

    Status = WebhookDelivery.Status  # noqa: N806
    now = timezone.now()
    claimable = Q(status__in=[Status.PENDING, Status.RETRYING]) | Q(
        status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = WebhookDelivery.objects.filter(claimable, pk=delivery_id).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
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
    elif outcome.retryable and delivery.attempts < MAX_ATTEMPTS:
        status, error, code = Status.RETRYING, outcome.error, outcome.code
    else:
        status, error, code = Status.FAILED, outcome.error, outcome.code
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=status,
        error=error,
        response_code=code,
        delivered_at=timezone.now() if status == Status.DELIVERED else None,
    )
    if status == Status.RETRYING:
        logger.info("Webhook delivery %s failed (%s); retrying", delivery_id, error)
        raise self.retry(countdown=backoff_seconds(delivery.attempts))
    return status
