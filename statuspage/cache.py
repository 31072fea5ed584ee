"""How the status page stays cheap while everybody reloads it during an outage.

Every public page (the status page, history, feeds, JSON) is computed at most once every
STATUS_SECONDS and shared by all web processes through the cache. Any incident event, a
maintenance window saved, and the uptime rollup drop them all (`status_changed`), so a
change shows within seconds; nothing shown is older than STATUS_SECONDS.

Fixed keys (the snapshot, the anonymous page) are deleted; the other pages' keys carry a
generation number that `status_changed` moves on, so they need not be listed.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)
STATUS_SECONDS = 10
SNAPSHOT_KEY = "portal:status:snapshot"
PAGE_KEY = "portal:status:anonymous-page"
GENERATION_KEY = "statuspage:generation"


def status_changed(event=None) -> None:
    """Forget every cached status page (an incident event handler too)."""
    try:
        cache.delete_many([SNAPSHOT_KEY, PAGE_KEY])
        if not cache.add(GENERATION_KEY, 1, timeout=None):
            cache.incr(GENERATION_KEY)
    except Exception:  # the cache is down: nothing cached to forget either
        logger.warning("Cannot drop the cached status page", exc_info=True)


def key(name: str) -> str:
    return f"statuspage:{cache.get_or_set(GENERATION_KEY, 1, timeout=None)}:{name}"


def remember(name: str, compute):
    """The cached value of `name` in this generation, computed when missing."""
    full = key(name)
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, STATUS_SECONDS)
    return value
