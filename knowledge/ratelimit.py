"""Per-client limit on "Did this solve your problem?" answers, in the shared cache, like
the portal's report limit (portal.ratelimit): an hour's window opened by a client's first
answer, at most `settings.ITSM_KB_FEEDBACK_RATE_LIMIT` answers in it (0 turns it off). No
account is needed to answer, so the client is its address. A cache that is down lets
answers through (logged): a lost count costs less than a broken page.
"""

import logging

from django.conf import settings
from django.core.cache import cache

from itsm.client_ip import client_ip

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def limit() -> int:
    return int(settings.ITSM_KB_FEEDBACK_RATE_LIMIT)


def _key(request) -> str:
    return f"knowledge:feedback:{client_ip(request) or 'unknown'}"


def feedback_allowed(request) -> bool:
    if not limit():
        return True
    try:
        return cache.get(_key(request), 0) < limit()
    except Exception:  # Redis down: several error types
        logger.warning("Cache unavailable; the feedback limit is not applied", exc_info=True)
        return True


def count_feedback(request) -> None:
    key = _key(request)
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS)
    except Exception:
        logger.warning("Cache unavailable; the answer was not counted", exc_info=True)
