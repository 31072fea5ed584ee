"""Claim leases: how long a worker's claim on a row (a notification, a webhook delivery)
holds when nobody renews it.

A worker claims a row by setting its status to SENDING and `claimed_at` to now; while it
works through a batch it renews `claimed_at` every quarter of the lease. A worker killed
outright (SIGKILL, OOM, lost host) renews nothing, so once the lease has run out the row
belongs to whoever finds it next: a redelivered task or the frequent reclaim sweep. The
lease is short (ITSM_CLAIM_LEASE_SECONDS, one minute by default) so that work a dead worker
held is taken over within a minute or two rather than after the broker's visibility
timeout; it must stay longer than one send can take (EMAIL_TIMEOUT, webhook timeout).
"""

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone


def lease() -> timedelta:
    return timedelta(seconds=settings.ITSM_CLAIM_LEASE_SECONDS)


def expired_before(now: datetime | None = None) -> datetime:
    """A claim made before this moment and not renewed since has lapsed."""
    return (now or timezone.now()) - lease()


class RenewalClock:
    """Says when a long batch should renew its claims: every quarter of the lease, so two
    missed renewals still leave the claim valid."""

    def __init__(self):
        self.interval = lease().total_seconds() / 4
        self.last = time.monotonic()

    def due(self) -> bool:
        if time.monotonic() - self.last < self.interval:
            return False
        self.last = time.monotonic()
        return True
