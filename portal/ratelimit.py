"""Per-user limit on reports from the portal, kept in the shared cache.

A window opens with a user's first report and lasts an hour; within it at most
`settings.ITSM_REPORT_RATE_LIMIT` reports are accepted (0 turns the limit off). With Redis
as the cache the limit holds across every web process. A cache that is down lets reports
through (logged): losing a report costs more than an hour without the limit.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def _key(user) -> str:
    return f"portal:reports:{user.pk}"


def limit() -> int:
    return int(getattr(settings, "ITSM_REPORT_RATE_LIMIT", 10))


def report_allowed(user) -> bool:
    if not limit():
        return True
    try:
        return cache.get(_key(user), 0) < limit()
    except Exception:  # Redis down: several error types
        logger.warning("Cache unavailable; the report limit is not applied", exc_info=True)
        return True


def count_report(user) -> None:
    """Record one accepted report (atomic increment in Redis)."""
    key = _key(user)
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS)
    except Exception:  # as above: the report is saved, only the count is lost
        logger.warning("Cache unavailable; the report was not counted", exc_info=True)


def refusal_message() -> str:
    return _(
        "You have reported %(count)s problems in the last hour, the most we accept from one "
        "person. Add details to one of your open incidents, try again later, or phone the "
        "service desk if it is urgent. What you typed is kept below."
    ) % {"count": limit()}
