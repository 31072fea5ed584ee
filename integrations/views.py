"""Ingest endpoints: authenticate the integration's token, parse, call a service, answer
with the status code the sender's retry logic expects.

Alertmanager retries only on 5xx and network errors and drops a notification for good on
any 4xx, so a valid delivery is never refused: when it cannot be stored (database down,
lock wait too long) the answer is 503 with Retry-After. The events API answers like
PagerDuty's: 202 accepted, 400 invalid (with `errors`), 429 over the rate limit.
"""

import logging

from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from incidents.exceptions import DomainError
from integrations import ratelimit, services
from integrations.choices import MAX_BODY_BYTES, Kind
from integrations.models import Integration
from integrations.parsing import PayloadError, load_json, parse_event
from integrations.selectors import integration_for_token

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


class Refused(Exception):
    def __init__(self, status: int, message: str, errors: list[str] | None = None, **headers):
        super().__init__(message)
        self.status, self.message = status, message
        self.errors = errors or [message]
        self.headers = headers


def _error(status: int, message: str, errors=None, label="error", **headers) -> JsonResponse:
    body = {"status": label, "message": message, "errors": errors or [message]}
    response = JsonResponse(body, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def _unavailable() -> JsonResponse:
    return _error(
        503,
        "The alert could not be stored right now; retry later.",
        label="unavailable",
        Retry_After=RETRY_AFTER_SECONDS,
    )


def _body(request) -> bytes:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if (declared.isdigit() and int(declared) > MAX_BODY_BYTES) or len(
        request.body
    ) > MAX_BODY_BYTES:
        raise Refused(413, f"The body is larger than {MAX_BODY_BYTES // 1024} KB.")
    return request.body


def _bearer(request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _integration(token: str, kinds: tuple[str, ...]) -> Integration:
    if not token:
        raise Refused(401, "Send the integration's token as `Authorization: Bearer <token>`.")
    integration = integration_for_token(token)
    if integration is None:
        raise Refused(401, "The token is not valid.")
    if integration.kind not in kinds:
        raise Refused(
            403,
            f"This token belongs to a {integration.get_kind_display()} "
            "integration; it is accepted only on that integration's endpoint.",
        )
    if not integration.active:
        raise Refused(403, f"The integration {integration.name} is switched off.")
    return integration


def _guarded(view):
    """Map refusals to their status, and database failures to 503 (retry) - never a 500."""

    def wrapper(request):
        try:
            return view(request)
        except Refused as refused:
            return _error(refused.status, refused.message, refused.errors, **refused.headers)
        except DatabaseError:
            logger.exception("Monitoring intake could not reach the database")
            return _unavailable()

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return csrf_exempt(require_POST(wrapper))


@_guarded
def alertmanager_webhook(request):
    """Prometheus Alertmanager webhook receiver (payload version 4)."""
    body = _body(request)
    integration = _integration(_bearer(request), (Kind.ALERTMANAGER,))
    try:
        groups = services.alertmanager_intake(integration=integration, data=load_json(body))
    except PayloadError as error:
        raise Refused(400, "This is not an Alertmanager webhook payload.", error.errors) from None
    except DomainError:
        logger.exception("Alertmanager delivery for %s refused by the domain", integration)
        return _unavailable()
    numbers = sorted({group.incident.number for group in groups if group.incident_id})
    return JsonResponse({"status": "success", "groups": len(groups), "incidents": numbers})


@_guarded
def events(request):
    """Generic events (PagerDuty Events API v2 shape): trigger, acknowledge, resolve."""
    body = _body(request)
    try:
        data = load_json(body)
    except PayloadError as error:
        raise Refused(400, "Invalid event.", error.errors) from None
    token = _bearer(request) or str(data.get("routing_key") or "")
    integration = _integration(token, (Kind.EVENTS,))
    if not ratelimit.allow(integration):
        raise Refused(
            429,
            f"More than {integration.rate_limit_per_minute} events this minute; slow down.",
            Retry_After=ratelimit.seconds_left_in_window(),
        )
    try:
        event = parse_event(data, new_key=services.new_dedup_key)
        incident = services.event_intake(integration=integration, event=event)
    except PayloadError as error:
        return _error(400, "Invalid event.", error.errors, label="invalid event")
    except DomainError as error:
        return _error(400, error.message, label="invalid event")
    return JsonResponse(
        {
            "status": "success",
            "message": "Event processed",
            "dedup_key": event.dedup_key,
            "incident": incident.number if incident else None,
        },
        status=202,
    )


@_guarded
def heartbeat(request):
    """An integration saying it is alive (any kind of integration, with its own token)."""
    _body(request)
    integration = _integration(_bearer(request), tuple(Kind.values))
    services.heartbeat_receive(integration=integration)
    return JsonResponse({"status": "success"})
