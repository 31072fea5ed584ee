"""Answers while the database is unreachable: 503 with Retry-After instead of a 500.

A database that cannot be reached (refused, timed out, restarting, statement cancelled by
its timeout) surfaces as Django's OperationalError or InterfaceError. Wherever it is raised,
in a view (`DatabaseOutageMiddleware`) or in a middleware around it (`server_error`, the
500 handler), the client is told the truth: the API in its JSON error shape, every page
(portal, status page, admin) as a styled page that names nothing internal. Nothing is half
saved: every write is one transaction, which the failure rolls back. Connections are
checked before reuse (CONN_HEALTH_CHECKS), so service resumes on its own when the database
is back.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def unavailable_response(request) -> HttpResponse:
    """503 for `request`: JSON under /api/, the styled page elsewhere. Rendered without
    the request's context processors, which may need the database."""
    if request.path.startswith("/api/"):
        from api.exceptions import unavailable_json

        return unavailable_json()
    page = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseOutageMiddleware:
    """Turns a database outage raised by a view into `unavailable_response`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        return unavailable_response(request)


def server_error(request) -> HttpResponse:
    """handler500: a failure outside the view (session, authentication) is often the
    database too; that one gets the 503, anything else stays a plain 500."""
    if is_outage(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request)
