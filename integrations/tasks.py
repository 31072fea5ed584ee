"""Tasks of monitoring intake: the delivery drain and its sweep, and periodic checks
(scheduled in CELERY_BEAT_SCHEDULE).

The checks are safe to run twice at once: each group or integration is re-read under its
row lock and the open-group index allows one open incident per key. The drain is safe to
publish any number of times: one drainer at a time holds the inbox (integrations.inbox).
"""

from datetime import timedelta

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


BUSY_COUNTDOWN = 1  # seconds before a drainer that found the inbox held tries again
SWEEP_AFTER_SECONDS = 10  # a delivery waiting longer than this was never kicked (broker down)


@shared_task
def drain_deliveries() -> int:
    """Turn waiting monitoring deliveries into alerts and incidents, oldest first (see
    integrations.inbox). Clears the "drain scheduled" flag before reading, and re-publishes
    itself when another drainer holds the inbox, when a delivery failed transiently (with a
    growing countdown), when it stopped at its deadline with deliveries still waiting, and
    once more a moment after it applied something (the trailing drain)."""
    from integrations import inbox, services

    inbox.forget_drain_flag()
    drained = services.deliveries_drain()
    if drained.busy:
        inbox.schedule_drain(countdown=BUSY_COUNTDOWN)
    elif drained.stalled:
        # At most the flag's lifetime: then the sweep would kick it anyway.
        inbox.schedule_drain(countdown=min(5 * 2**drained.stalled, inbox.DRAIN_FLAG_SECONDS))
    elif drained.more:
        inbox.schedule_drain()
    elif drained.processed or drained.failed:
        inbox.schedule_trailing_drain()  # for the kicks web processes skipped meanwhile
    return drained.processed


@shared_task
def sweep_deliveries(older_than_seconds: int = SWEEP_AFTER_SECONDS) -> bool:
    """Kick the drain when a delivery waits longer than it should (the broker was down when
    it was accepted, or a drain task was lost). Cheap when idle: one index read."""
    from django.utils import timezone

    from integrations import inbox, services

    since = services.deliveries_waiting_since()
    if since is None or timezone.now() - since < timedelta(seconds=older_than_seconds):
        return False
    inbox.schedule_drain()  # unless one is scheduled (e.g. a retry waiting for its countdown)
    return True
