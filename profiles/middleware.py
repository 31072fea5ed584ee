"""Each signed-in request in the person's language and time zone.

Runs after `LocaleMiddleware` (which chose from Accept-Language, else LANGUAGE_CODE) and
after authentication: a saved preference wins over the browser.
"""

from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from itsm.outage import is_outage
from profiles.services import preferred


class ProfileLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language, zone = self._preferences(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        if zone:
            timezone.activate(ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    @staticmethod
    def _preferences(request) -> tuple[str, str]:
        """The signed-in person's choices. With the database down, none: the view then
        meets the outage inside `DatabaseOutageMiddleware`, which answers 503."""
        user = getattr(request, "user", None)
        try:
            if not (user and user.is_authenticated):
                return "", ""
            # Read with the user in one round trip (itsm.user_cache), when it was cached.
            found = getattr(request, "prefetched_locale", None)
            return found if found is not None else preferred(user)
        except Exception as exc:
            if is_outage(exc):
                return "", ""
            raise
