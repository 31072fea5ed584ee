"""How the status page stays cheap while everybody reloads it during an outage.

Every public page (the status page, history, feeds, JSON) is computed at most once every
STATUS_SECONDS and shared by all web processes through the cache. Any incident event, a
maintenance window saved, and the uptime rollup drop them all (`status_changed`), so a
change shows within seconds; nothing shown is older than STATUS_SECONDS.

Every entry carries the generation number it was computed in, and `status_changed` moves
the generation on, so nothing needs listing to be dropped; a visitor's request reads the
generation and the page in one round trip.

Each web process also keeps what it last read for LOCAL_SECONDS, so a reload storm costs
no round trip at all most of the time: a change made in another process (the worker that
handles incident events) shows at most LOCAL_SECONDS later, well inside the STATUS_SECONDS
the page says it refreshes in; a change made in this process shows at once.
"""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)
STATUS_SECONDS = 10
LOCAL_SECONDS = 2
GENERATION_KEY = "statuspage:generation"
# name -> (monotonic deadline, generation, value); a handful of names per language and
# zone, emptied whenever it grows past LOCAL_ENTRIES (time zones come from visitors).
_local: dict[str, tuple[float, int, object]] = {}
LOCAL_ENTRIES = 64
# The newest generation this process has seen: a page computed in an older one (a change
# happened in this process meanwhile) is not kept.
_newest = 0


def status_changed(event=None) -> None:
    """Forget every cached status page (an incident event handler too)."""
    global _newest
    _local.clear()
    try:
        first = cache.add(GENERATION_KEY, 1, timeout=None)
        _newest = 1 if first else cache.incr(GENERATION_KEY)
    except Exception:  # the cache is down: nothing cached to forget either
        logger.warning("Cannot drop the cached status page", exc_info=True)


def lookup(name: str) -> tuple[object | None, int]:
    """(the value cached for `name` in the current generation, else None; the current
    generation). One round trip: the generation and the entry, which carries the generation
    it was computed in, are read together."""
    full = f"statuspage:{name}"
    kept = _local.get(full)
    if kept is not None and kept[0] > time.monotonic():
        return kept[2], kept[1]
    found = cache.get_many([GENERATION_KEY, full])
    generation = found.get(GENERATION_KEY)
    if generation is None:  # first use, or the cache was emptied
        forget_local()
        cache.add(GENERATION_KEY, 1, timeout=None)
        return None, cache.get(GENERATION_KEY, 1)
    entry = found.get(full)
    if entry is not None and entry[0] == generation:
        _keep(full, generation, entry[1])
        return entry[1], generation
    return None, generation


def forget_local() -> None:
    """Drop what this process kept (the shared cache was emptied: generations start again)."""
    global _newest
    _local.clear()
    _newest = 0


def _keep(full: str, generation: int, value) -> None:
    global _newest
    if generation < _newest:
        return
    _newest = generation
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()
    _local[full] = (time.monotonic() + LOCAL_SECONDS, generation, value)


def store(name: str, value, generation: int) -> None:
    """Keep `value` for `name` as computed in `generation`: once `status_changed` has moved
    the generation on, it is never served again."""
    cache.set(f"statuspage:{name}", (generation, value), STATUS_SECONDS)
    _keep(f"statuspage:{name}", generation, value)


def remember(name: str, compute):
    """The cached value of `name` in this generation, computed when missing."""
    value, generation = lookup(name)
    if value is None:
        value = compute()
        store(name, value, generation)
    return value
