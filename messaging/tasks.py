"""Celery tasks of messaging. They take ids, claim rows, and are safe to run twice."""

import logging

from celery import shared_task

from itsm.celery import capped_countdown

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_channel_message(self, message_id: int) -> str:
    """Post one channel message. The row is claimed first, so a task delivered twice posts
    once; a transient error puts it back with a later due time and retries the task after
    that backoff (the row's attempts bound the retries). Returns the row's status."""
    from itsm.retries import backoff
    from messaging.delivery import deliver_message
    from messaging.models import ChannelMessage

    status = deliver_message(message_id)
    if status == "pending":
        attempts = ChannelMessage.objects.filter(pk=message_id).values_list("attempts", flat=True)
        wait = backoff(next(iter(attempts), 1))
        raise self.retry(countdown=capped_countdown(wait))
    return status


@shared_task
def sweep_channel_messages() -> int:
    """Every minute (beat): publish again the messages nobody is sending (see
    `messaging.services.channel_messages_sweep`). Outside a transaction each is
    published at once; a broker still down leaves them for the next sweep."""
    from messaging.services import channel_messages_enqueue, channel_messages_sweep

    ids = channel_messages_sweep()
    channel_messages_enqueue(ids)
    return len(ids)
