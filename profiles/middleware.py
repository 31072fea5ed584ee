"""Each signed-in request in the person's language and time zone.

Runs after `LocaleMiddleware` (which chose from Accept-Language, else LANGUAGE_CODE) and
after authentication: a saved preference wins over the browser.
"""

from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from profiles.services import preferred


class ProfileLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language, zone = preferred(user) if user and user.is_authenticated else ("", "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        if zone:
            timezone.activate(ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
