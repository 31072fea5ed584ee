"""Staff who signed in with a password give their second factor before anything else.

What a session owes is decided once, at sign-in (`note_second_factor_owed`, connected to
`user_logged_in`), and kept in the session, so ordinary requests cost no query.
"""

import logging
from urllib.parse import quote

from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from identity.selectors import second_factor_owed
from itsm.outage import is_outage, unavailable_response

logger = logging.getLogger(__name__)

SESSION_OWED = "identity_second_factor"
EXEMPT = ("/accounts/two-factor/", "/accounts/logout/", "/admin/logout/", "/static/", "/oidc/")


def note_second_factor_owed(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    owed = second_factor_owed(request, user)
    if owed:
        request.session[SESSION_OWED] = owed
    else:
        request.session.pop(SESSION_OWED, None)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            owed = request.session.get(SESSION_OWED) if hasattr(request, "session") else None
        except DatabaseError as error:
            # The session is read here, before any view: an outage must still get the
            # styled 503 a view's outage gets (itsm.outage), not a server error.
            if not is_outage(error):
                raise
            logger.warning("Database unavailable for %s: %s", request.path, error)
            return unavailable_response(request)
        if owed and not request.path.startswith(EXEMPT):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor sign-in is not complete."}, status=403)
            name = "identity:two-factor-verify" if owed == "verify" else "identity:two-factor-setup"
            return redirect(f"{reverse(name)}?next={quote(request.get_full_path())}")
        return self.get_response(request)
