"""Small, rarely changed tables read on every create, kept in the cache.

Routing rules, the fallback team, the priority matrix and the SLA policies change a few
times a year and are read by every incident create (portal, API, monitoring, e-mail). Each
is kept for CACHE_SECONDS under a versioned key; saving or deleting a row forgets it, now
and again after commit, so every process sees a change at once with a shared cache
(Redis) and within CACHE_SECONDS with a per-process one. A cache that is down only costs
the query: nothing here may fail a create.

Within one request or one Celery task a value is read from the cache once: a create asks
the rulebook for its priority and then for its SLA policy, and a drain of 200 events asks
for the same rules 200 times. The memo lives from the request's (task's) start to its end
and is dropped by `forget`; outside a request or task nothing is memoised.
"""

import logging
import threading

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

CACHE_SECONDS = 30


_local = threading.local()
_UNREAD, _MISSING = object(), object()  # memo markers: not asked yet; asked, not cached


def begin_unit(**kwargs) -> None:
    """A request or task starts: values read from now on are kept until it ends."""
    _local.memo = {}


def end_unit(**kwargs) -> None:
    _local.memo = None


def cached(key: str, load):
    """`load()`'s value through the cache (`load` must not return None)."""
    memo = getattr(_local, "memo", None)
    if memo is None:
        return _from_cache(key, load)
    value = memo.get(key, _UNREAD)
    if value is _UNREAD:
        value = memo[key] = _from_cache(key, load)
    elif value is _MISSING:  # prefetched, and not in the cache: no second read
        value = memo[key] = _load_and_store(key, load)
    return value


def prefetch(keys: list[str]) -> None:
    """Read `keys` from the cache in one round trip into this request's (task's) memo, for
    a path known to need them all (a create reads the services and the rulebook). Keys
    missing from the cache are marked so, and `cached` loads and stores them without
    asking the cache again."""
    memo = getattr(_local, "memo", None)
    if memo is None:
        return
    wanted = [key for key in keys if key not in memo]
    if not wanted:
        return
    try:
        found = cache.get_many(wanted)
    except Exception:  # Redis down: `cached` reads the database for each
        logger.warning("Cache unavailable; %s not prefetched", wanted, exc_info=True)
        return
    memo.update({key: found.get(key, _MISSING) for key in wanted})


def _from_cache(key: str, load):
    try:
        value = cache.get(key)
    except Exception:  # Redis down: several error types; the database still answers
        logger.warning("Cache unavailable; reading %s from the database", key, exc_info=True)
        return load()
    if value is None:
        value = _load_and_store(key, load)
    return value


def _load_and_store(key: str, load):
    value = load()
    try:
        cache.set(key, value, CACHE_SECONDS)
    except Exception:  # Redis down: the next reader loads it again
        logger.warning("Cache unavailable; %s not cached", key, exc_info=True)
    return value


def forget(keys: list[str]) -> None:
    """Drop `keys` now and once the transaction commits (a reader between the save and the
    commit may have cached the old rows again)."""

    memo = getattr(_local, "memo", None)
    if memo:
        memo.clear()

    def drop():
        try:
            cache.delete_many(keys)
        except Exception:  # the entries expire on their own
            logger.warning("Cannot clear the cached %s", keys, exc_info=True)

    drop()
    transaction.on_commit(drop, robust=True)


def forget_when_changed(receiver, *models) -> None:
    """Call `receiver` (which forgets its cached keys) whenever a row of `models` is saved
    or deleted, by any door (admin, shell, cascade). Called from the apps' `ready`."""
    from django.db.models.signals import post_delete, post_save

    name = f"{receiver.__module__}.{receiver.__qualname__}"
    for model in models:
        for signal in (post_save, post_delete):
            uid = f"forget-{name}-{model._meta.label}"
            signal.connect(receiver, sender=model, dispatch_uid=uid)


def drop_flag(key: str) -> None:
    """Delete a "work scheduled" flag (the outbox's, the inbox's drain): with the cache
    down there is nothing to delete, and the flag expires on its own anyway."""
    try:
        cache.delete(key)
    except Exception:  # Redis down: several error types
        logger.warning("Cannot clear the flag %s", key, exc_info=True)
