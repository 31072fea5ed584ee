"""Probes for load balancers and orchestrators; no authentication, nothing configured named.

- `/healthz` (liveness): the web process answers. It touches nothing else, so a database
  outage never gets healthy processes restarted (restarting would not bring it back).
- `/readyz` (readiness): the database and the broker answer within a couple of seconds;
  200 when both do, else 503 naming what is missing, so traffic goes elsewhere meanwhile.

`ProbeMiddleware` answers both before any other middleware: orchestrators call pods by IP
(not an allowed host) and over plain HTTP (no HTTPS redirect), and need no session.
"""

import logging

from django.db import connections
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)


def liveness(request) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _database() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception as exc:  # the driver raises many types; any means not ready
        logger.warning("Readiness: database unreachable: %s", exc)
        return False


def _broker() -> bool:
    from itsm.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception as exc:  # kombu raises many types; any means not ready
        logger.warning("Readiness: broker unreachable: %s", exc)
        return False


CHECKS = {"database": _database, "broker": _broker}


def readiness(request) -> JsonResponse:
    results = {name: check() for name, check in CHECKS.items()}
    missing = [name for name, ok in results.items() if not ok]
    body = {
        "status": "unavailable" if missing else "ready",
        "checks": {name: "ok" if ok else "unreachable" for name, ok in results.items()},
    }
    if missing:
        body["missing"] = missing
    response = JsonResponse(body, status=503 if missing else 200)
    response["Cache-Control"] = "no-store"
    return response


PROBES = {"/healthz": liveness, "/readyz": readiness}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        return probe(request)
