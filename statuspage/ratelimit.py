"""A budget of subscription requests per client address and per e-mail address, counted
in the shared cache, so the form cannot be used to flood someone's inbox."""

import hashlib
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)
PER_CLIENT_PER_HOUR = 10
PER_ADDRESS_PER_HOUR = 3


def _count(name: str) -> int:
    key = f"statuspage:subscribe:{name}:{int(time.time()) // 3600}"
    try:
        cache.add(key, 0, timeout=3700)
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3700)
        return 1


def allow(*, client: str | None, email: str) -> bool:
    """Count one request; False once either budget is spent this hour. With the cache
    down requests are refused: mail sent without a limit could be abused."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    try:
        by_client = _count(f"ip:{client or 'unknown'}")
        by_address = _count(f"to:{address}")
    except Exception:  # cache backend down: redis raises its own types
        logger.warning("Rate-limit cache unavailable; refusing subscriptions", exc_info=True)
        return False
    return by_client <= PER_CLIENT_PER_HOUR and by_address <= PER_ADDRESS_PER_HOUR
