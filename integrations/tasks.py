"""Periodic checks of monitoring intake (scheduled in CELERY_BEAT_SCHEDULE).

Both are safe to run twice at once: each group or integration is re-read under its row lock
and the open-group index allows one open incident per key.
"""

from celery import shared_task


@shared_task
def check_heartbeats() -> int:
    """Open an incident for every integration whose heartbeat is overdue."""
    from integrations import services

    return services.heartbeats_check()


@shared_task
def resolve_quiet_groups() -> int:
    """Resolve incidents whose alerts stayed quiet for their integration's quiet period."""
    from integrations import services

    return services.quiet_groups_resolve()
