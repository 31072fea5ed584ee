"""Periodic IMAP polling (scheduled in CELERY_BEAT_SCHEDULE only when ITSM_IMAP_HOST is set).

Safe to run twice at once: each message is recorded by Message-ID, so a message two polls
fetch together is ingested once.
"""

from celery import shared_task


@shared_task
def poll_imap() -> int:
    """Ingest unseen messages from the configured IMAP folder; returns how many."""
    from django.conf import settings

    if not settings.ITSM_IMAP_HOST:
        return 0
    from email_intake.imap import poll_mailbox

    return poll_mailbox()
