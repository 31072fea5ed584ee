"""Ingest endpoints: authenticate the integration's token, validate, store the delivery for
the drainer (`integrations.inbox`) and answer with the status code the sender's retry logic
expects. Alerts become incidents a moment later, in the worker, oldest delivery first.

Alertmanager retries only on 5xx and network errors and drops a notification for good on
any 4xx, so a valid delivery is never refused: when it cannot be stored (database down)
the answer is 503 with Retry-After. The events API answers like
PagerDuty's: 202 accepted (with the dedup_key), 400 invalid (with `errors`), 429 over the
rate limit. A payload is validated by the parser the drainer uses, so an accepted delivery
parses again there; what only the drainer can find out (a domain rule, a value no column
holds) marks the delivery failed and counts it as a refusal (`deliveries_drain`).

"Cannot store this payload" is never answered like "cannot store it right now": a body that
no retry will make storable (not JSON, nested too deep, a value no column holds) is a 4xx,
counted on the integration with its reason for managers to see; characters that cannot be
stored (NUL, unpaired surrogates) are replaced rather than refused, so the alert is kept.
Only an unreachable or busy database is a 503.
"""

import logging
from contextlib import contextmanager

from django.db import DatabaseError, DataError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations import ratelimit, services
from integrations.choices import MAX_BODY_BYTES, Kind
from integrations.models import Integration
from integrations.parsing import (
    PayloadError,
    group_count,
    load_json,
    parse_alertmanager,
    parse_event,
)
from integrations.selectors import integration_for_token

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
INVALID = "invalid event"  # the `status` PagerDuty's own API answers a bad event with


class Refused(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        errors: list[str] | None = None,
        label="error",
        **headers,
    ):
        super().__init__(message)
        self.status, self.message, self.label = status, message, label
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
        label=_("unavailable"),
        Retry_After=RETRY_AFTER_SECONDS,
    )


def _body(request, integration: Integration | None = None) -> bytes:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if (declared.isdigit() and int(declared) > MAX_BODY_BYTES) or len(
        request.body
    ) > MAX_BODY_BYTES:
        message = f"The body is larger than {MAX_BODY_BYTES // 1024} KB."
        raise _refusal(integration, 413, message, [message])
    return request.body


def _bearer(request) -> str:
    # From META: `request.headers` would copy every header of every delivery first.
    scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
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


def _refusal(
    integration: Integration | None, status: int, message: str, errors, label="error"
) -> Refused:
    """A delivery that can never be stored: counted on its integration (when known)."""
    if integration is not None:
        services.integration_refusal_record(integration=integration, reason="; ".join(errors))
    logger.warning("Monitoring delivery refused (%s): %s", integration, "; ".join(errors))
    return Refused(status, message, errors, label=label)


@contextmanager
def _storing(integration: Integration):
    """A value the database refuses (out of range, too long) will be refused again on every
    retry: answer 422, which senders do not retry, instead of the outage's 503."""
    try:
        yield
    except DataError as error:
        message = "A value of this payload cannot be stored."
        raise _refusal(integration, 422, message, [f"{message} {error}".strip()]) from None


def _guarded(view):
    """Map refusals to their status, and database failures to 503 (retry) - never a 500."""

    def wrapper(request):
        try:
            return view(request)
        except Refused as refused:
            return _error(
                refused.status, refused.message, refused.errors, refused.label, **refused.headers
            )
        except DatabaseError:
            logger.exception("Monitoring intake could not reach the database")
            return _unavailable()

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return csrf_exempt(require_POST(wrapper))


@_guarded
def alertmanager_webhook(request):
    """Prometheus Alertmanager webhook receiver (payload version 4): accepted and queued."""
    integration = _integration(_bearer(request), (Kind.ALERTMANAGER,))
    try:
        data, replaced = load_json(_body(request, integration))
        alerts, _context = parse_alertmanager(data)
    except PayloadError as error:
        message = "This is not an Alertmanager webhook payload."
        raise _refusal(integration, 400, message, error.errors) from None
    _accept(integration, Kind.ALERTMANAGER, data, replaced)
    groups = group_count(alerts, integration.grouping_rule)
    return JsonResponse({"status": "success", "groups": groups, "alerts": len(alerts)})


def _accept(integration: Integration, kind: str, data: dict, replaced: list[str]) -> None:
    with _storing(integration):
        services.delivery_accept(
            integration=integration, kind=kind, payload=data, replaced=replaced
        )


def _events_integration(request, data: dict | None) -> Integration:
    token = _bearer(request) or str((data or {}).get("routing_key") or "")
    return _integration(token, (Kind.EVENTS,))


@_guarded
def events(request):
    """Generic events (PagerDuty Events API v2 shape): trigger, acknowledge, resolve.
    The token comes from the header or, after the body is decoded, from `routing_key`."""
    integration = _events_integration(request, None) if _bearer(request) else None
    try:
        data, replaced = load_json(_body(request, integration))
    except PayloadError as error:
        raise _refusal(integration, 400, "Invalid event.", error.errors, INVALID) from None
    integration = integration or _events_integration(request, data)
    if not ratelimit.allow(integration):
        raise Refused(
            429,
            f"More than {integration.rate_limit_per_minute} events this minute; slow down.",
            Retry_After=ratelimit.seconds_left_in_window(),
        )
    try:
        event = parse_event(data, new_key=services.new_dedup_key)
    except PayloadError as error:
        raise _refusal(integration, 400, "Invalid event.", error.errors, INVALID) from None
    # The drainer parses the stored event again: it must group under the key answered now.
    _accept(integration, Kind.EVENTS, {**data, "dedup_key": event.dedup_key}, replaced)
    return JsonResponse(
        {"status": "success", "message": "Event accepted", "dedup_key": event.dedup_key},
        status=202,
    )


@_guarded
def heartbeat(request):
    """An integration saying it is alive (any kind of integration, with its own token)."""
    _body(request)
    integration = _integration(_bearer(request), tuple(Kind.values))
    services.heartbeat_receive(integration=integration)
    return JsonResponse({"status": "success"})
