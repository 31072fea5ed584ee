"""Celery tasks of paging. They take ids, re-read state and call services; all idempotent."""

from celery import shared_task


@shared_task
def send_pages(page_ids: list[int]) -> int:
    """Send the due, still-needed pages among `page_ids`; returns how many went out."""
    from paging.delivery import send_pages as send

    return send(page_ids).sent


@shared_task
def advance_escalations() -> int:
    """Beat, every few seconds: fire every due step and send every due page. The database
    holds the state, so a restarted beat or worker carries on where it was, and two beats
    running at once fire each step once (see `paging.services.escalation_fire`)."""
    from paging.delivery import due_page_ids, reclaim_lapsed
    from paging.delivery import send_pages as send
    from paging.engagement import due_escalation_ids
    from paging.services import escalation_fire

    fired = sum(len(escalation_fire(escalation_id=pk)) for pk in due_escalation_ids())
    reclaim_lapsed()
    send(due_page_ids())
    return fired
