"""Rate limits per API token (per user for session use, per address for anonymous calls).

Counters live in the default cache: set REDIS_CACHE_URL in production so that every
process shares them. Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], read on
each request so that a settings change applies without a restart of the class.

The window is fixed (the minute, hour... of the clock), counted with one round trip
(`itsm.counters`), rather than DRF's sliding window, which reads and rewrites the list of
every request's time in the window (600 timestamps at the default rate) twice a request.
A client can at most spend two budgets around a window's edge.
"""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from itsm import counters

logger = logging.getLogger(__name__)


class TokenRateThrottle(SimpleRateThrottle):
    """Scope `token`: each token has its own budget, so one noisy script does not starve
    its owner's other integrations."""

    scope = "token"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        try:
            count = counters.hit(f"{key}:{window}", self.duration)
        except Exception:  # cache down: a burst costs less than refusing every integration
            logger.warning("Throttle cache unavailable; allowing the request", exc_info=True)
            return True
        return count <= self.num_requests

    def wait(self):
        """Seconds until the current window ends (sent as Retry-After)."""
        return max(1, self.duration - int(self.now % self.duration))
