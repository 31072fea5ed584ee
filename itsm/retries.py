"""The retry policy of every outbound delivery: e-mail notifications, chat and push
messages, outgoing webhooks.

Each delivery row counts its attempts (a claim adds one), so the policy holds however
often a task is redelivered or a sweep republishes the row: a transient failure waits
`backoff(attempts)` and tries again until MAX_ATTEMPTS, then the row is failed.
"""

from django.db.models import Q

from itsm.leases import expired_before

# 30 s, 1, 2, 4, 8 minutes between them: about a quarter of an hour of outage is ridden out.
MAX_ATTEMPTS = 6


def backoff(attempt: int) -> int:
    """Seconds before attempt `attempt + 1`: 30 s, 1, 2, 4, 8 minutes... at most an hour."""
    return min(3600, 30 * 2 ** max(0, attempt - 1))


def attempts_left(attempts: int) -> bool:
    """Whether a row that failed transiently after `attempts` tries is tried again."""
    return attempts < MAX_ATTEMPTS


def claimable(now, *, waiting, sending: str) -> Q:
    """Rows in a `waiting` status, and `sending` rows whose worker's claim lease ran out
    (it was killed) while attempts are left."""
    lapsed = Q(status=sending, claimed_at__lt=expired_before(now))
    return Q(status__in=list(waiting)) | (lapsed & Q(attempts__lt=MAX_ATTEMPTS))
