"""How the status page stays cheap while everybody reloads it during an outage.

Every public page (the status page, history, feeds, JSON) is computed at most once every
STATUS_SECONDS and shared by all web processes through the cache. Any incident event, a
maintenance window saved, and the uptime rollup drop them all (`status_changed`), so a
change shows within seconds; nothing shown is older than STATUS_SECONDS.

Every entry carries the generation number it was computed in, and `status_changed` moves
the generation on, so nothing needs listing to be dropped; a visitor's request reads the
generation and the page in one round trip.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)
STATUS_SECONDS = 10
GENERATION_KEY = "statuspage:generation"


def status_changed(event=None) -> None:
    """Forget every cached status page (an incident event handler too)."""
    try:
        if not cache.add(GENERATION_KEY, 1, timeout=None):
            cache.incr(GENERATION_KEY)
    except Exception:  # the cache is down: nothing cached to forget either
        logger.warning("Cannot drop the cached status page", exc_info=True)


def lookup(name: str) -> tuple[object | None, int]:
    """(the value cached for `name` in the current generation, else None; the current
    generation). One round trip: the generation and the entry, which carries the generation
    it was computed in, are read together."""
    full = f"statuspage:{name}"
    found = cache.get_many([GENERATION_KEY, full])
    generation = found.get(GENERATION_KEY)
    if generation is None:  # first use, or the cache was emptied
        cache.add(GENERATION_KEY, 1, timeout=None)
        return None, cache.get(GENERATION_KEY, 1)
    entry = found.get(full)
    if entry is not None and entry[0] == generation:
        return entry[1], generation
    return None, generation


def store(name: str, value, generation: int) -> None:
    """Keep `value` for `name` as computed in `generation`: once `status_changed` has moved
    the generation on, it is never served again."""
    cache.set(f"statuspage:{name}", (generation, value), STATUS_SECONDS)


def remember(name: str, compute):
    """The cached value of `name` in this generation, computed when missing."""
    value, generation = lookup(name)
    if value is None:
        value = compute()
        store(name, value, generation)
    return value
