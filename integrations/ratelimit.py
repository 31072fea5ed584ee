"""Per-integration request budget of the events API, counted in the shared cache.

A fixed one-minute window is enough to stop a runaway script; Alertmanager is never rate
limited, because it drops a notification for good on a 429.
"""

import logging
import time

from integrations.models import Integration
from itsm import counters

logger = logging.getLogger(__name__)


def seconds_left_in_window() -> int:
    return 60 - int(time.time()) % 60


def allow(integration: Integration) -> bool:
    """Count one request; False once the integration is over its budget this minute. With
    the cache unreachable the request is allowed: losing events is worse than a burst."""
    key = f"itsm:intake-rate:{integration.pk}:{int(time.time()) // 60}"
    try:
        count = counters.hit(key, 120)
    except Exception:  # cache backend down: redis raises its own types
        logger.warning("Rate-limit cache unavailable; allowing the request", exc_info=True)
        return True
    return count <= integration.rate_limit_per_minute
