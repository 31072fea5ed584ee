"""Celery tasks of notifications. They take ids, claim rows, and are safe to run twice."""

import logging

from celery import shared_task

from itsm.celery import capped_countdown

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=8, acks_late=True)
def send_notifications(self, notification_ids: list[int]) -> int:
    """Send one batch over one SMTP connection. Rows already claimed or sent are skipped,
    so a task delivered twice sends nothing twice; rows that hit a transient error are
    retried with exponential backoff (their due time moved on, so the sweep waits too)."""
    from itsm.retries import backoff
    from notifications.delivery import deliver_batch

    result = deliver_batch(notification_ids)
    if result.retry_ids:
        logger.warning("Retrying %d notifications: %s", len(result.retry_ids), result.error)
        raise self.retry(
            args=[result.retry_ids],
            countdown=capped_countdown(backoff(self.request.retries + 1)),
        )
    return result.sent


@shared_task
def sweep_notifications() -> int:
    """Every minute: re-publish notifications that never reached a worker (broker down
    while enqueueing) or whose worker died mid-send."""
    from notifications.services import delivery_enqueue, notifications_sweep

    ids = notifications_sweep()
    delivery_enqueue(ids)
    return len(ids)


@shared_task
def reclaim_notifications() -> int:
    """Every 15 seconds: rows whose worker was killed mid-batch (claim lease lapsed) are
    published again at once, so another worker sends them within a minute or two."""
    from notifications.services import delivery_enqueue, notifications_reclaim

    ids = notifications_reclaim()
    delivery_enqueue(ids)
    return len(ids)
