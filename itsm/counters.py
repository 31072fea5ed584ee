"""Fixed-window counters in the shared cache, one round trip per hit on Redis.

The portal's report limit, the events API's budget per integration and the REST API's
throttle all count requests in a window. Through Django's cache API a hit costs three or
four round trips (`add`, then `incr`, which itself asks `EXISTS` before `INCRBY`); on Redis
the counter is created with its lifetime and incremented in one pipelined round trip
(`SET key 0 EX window NX` + `INCR key`). Any other cache backend takes the portable path.
"""

import contextlib

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def hit(key: str, window: int) -> int:
    """Add one to the counter `key`, created at its first hit to live `window` seconds,
    and return its new value. Cache errors propagate: callers decide whether an
    unreachable cache allows or refuses."""
    cache = caches["default"]  # the backend itself: `django.core.cache.cache` is a proxy
    if isinstance(cache, RedisCache):
        return _redis_hit(cache, key, window)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def take_back(key: str) -> None:
    """Undo one hit (the counted request did not happen after all)."""
    with contextlib.suppress(ValueError):  # the window has ended: nothing to undo
        caches["default"].decr(key)


def _redis_hit(cache: RedisCache, key: str, window: int) -> int:
    made = cache.make_and_validate_key(key)
    client = cache._cache.get_client(made, write=True)
    pipe = client.pipeline(transaction=False)
    pipe.set(made, 0, ex=window, nx=True)
    pipe.incr(made)
    return pipe.execute()[1]
