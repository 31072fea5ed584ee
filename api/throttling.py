"""Rate limits per API token (per user for session use, per address for anonymous calls).

Counters live in the default cache: set REDIS_CACHE_URL in production so that every
process shares them. Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], read on
each request so that a settings change applies without a restart of the class.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


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
