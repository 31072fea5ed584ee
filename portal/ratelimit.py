"""Per-user limit on reports from the portal, kept in the shared cache.

A window opens with a user's first report and lasts an hour; within it at most
`settings.ITSM_REPORT_RATE_LIMIT` reports are accepted (0 turns the limit off). With Redis
as the cache the limit holds across every web process. A cache that is down lets reports
through (logged): losing a report costs more than an hour without the limit.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from itsm import counters

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def _key(user) -> str:
    return f"portal:reports:{user.pk}"


def limit() -> int:
    return int(getattr(settings, "ITSM_REPORT_RATE_LIMIT", 10))


def claim_report(user) -> bool:
    """Count one report about to be created (one round trip on Redis); False when the
    user is over the limit. A cache that is down lets the report through (logged)."""
    if not limit():
        return True
    try:
        return counters.hit(_key(user), WINDOW_SECONDS) <= limit()
    except Exception:  # Redis down: several error types
        logger.warning("Cache unavailable; the report limit is not applied", exc_info=True)
        return True


def release_report(user) -> None:
    """Give back a claimed report that was not created (refused by the domain)."""
    if not limit():
        return
    try:
        counters.take_back(_key(user))
    except Exception:  # as above: at worst the user has one report fewer this hour
        logger.warning("Cache unavailable; a refused report stays counted", exc_info=True)


def refusal_message() -> str:
    return _(
        "You have reported %(count)s problems in the last hour, the most we accept from one "
        "person. Add details to one of your open incidents, try again later, or phone the "
        "service desk if it is urgent. What you typed is kept below."
    ) % {"count": limit()}
