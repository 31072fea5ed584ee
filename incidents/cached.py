"""Small, rarely changed tables read on every create, kept in the cache.

Routing rules, the fallback team, the priority matrix and the SLA policies change a few
times a year and are read by every incident create (portal, API, monitoring, e-mail). Each
is kept for CACHE_SECONDS under a versioned key; saving or deleting a row forgets it, now
and again after commit, so every process sees a change at once with a shared cache
(Redis) and within CACHE_SECONDS with a per-process one. A cache that is down only costs
the query: nothing here may fail a create.
"""

import logging

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

CACHE_SECONDS = 30


def cached(key: str, load):
    """`load()`'s value through the cache (`load` must not return None)."""
    try:
        value = cache.get(key)
    except Exception:  # Redis down: several error types; the database still answers
        logger.warning("Cache unavailable; reading %s from the database", key, exc_info=True)
        return load()
    if value is None:
        value = load()
        try:
            cache.set(key, value, CACHE_SECONDS)
        except Exception:  # as above
            logger.warning("Cache unavailable; %s not cached", key, exc_info=True)
    return value


def forget(keys: list[str]) -> None:
    """Drop `keys` now and once the transaction commits (a reader between the save and the
    commit may have cached the old rows again)."""

    def drop():
        try:
            cache.delete_many(keys)
        except Exception:  # the entries expire on their own
            logger.warning("Cannot clear the cached %s", keys, exc_info=True)

    drop()
    transaction.on_commit(drop, robust=True)
