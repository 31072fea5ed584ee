"""Outgoing webhooks: turning incident events into signed JSON deliveries.

`on_incident_event` is registered with `incidents.events.register_handler`; it runs in the
Celery task that dispatches each event, creates one `WebhookDelivery` per interested
endpoint (unique per endpoint and event, so a re-dispatched event is not sent twice) and
enqueues `api.tasks.deliver_webhook`, which signs and posts the body with retries.

Receivers verify ``X-ITSM-Signature: t=<unix time>,v1=<hex>`` where ``hex`` is
HMAC-SHA256(secret, "<unix time>.<raw body>"), and reject old timestamps (replays).
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from api.models import WebhookDelivery, WebhookEndpoint
from incidents.models import Incident, IncidentEvent
from incidents.visibility import redacted_snapshot
from itsm import outbound

TIMEOUT_SECONDS = 10
USER_AGENT = "ITSM-Webhooks/1"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_payload(event: IncidentEvent) -> dict:
    """What receivers get: the event and the incident as the API shows it to staff; of a
    confidential incident only its number and the event's kind and time (a receiver's
    readers are nobody's to check: `incidents.visibility.redacted_snapshot`)."""
    from api.serializers.incidents import IncidentSerializer

    incident = Incident.objects.with_list_relations().with_sla_state().get(pk=event.incident_id)
    if incident.confidential:
        return {
            "event": {"id": event.pk, "kind": event.kind, "created_at": _iso(event)},
            "incident": redacted_snapshot(incident),
        }
    snapshot = IncidentSerializer(incident, context={"request": None}).data
    snapshot["url"] = settings.SITE_URL + reverse(
        "api:incident-detail", kwargs={"number": incident.number}
    )
    return {
        "event": {
            "id": event.pk,
            "kind": event.kind,
            "created_at": _iso(event),
            "actor": event.actor.get_username() if event.actor else None,
            "channel": event.channel,
            "data": event.data,
        },
        "incident": snapshot,
    }


def _iso(event: IncidentEvent) -> str:
    return event.created_at.isoformat()


def on_incident_event(event: IncidentEvent) -> None:
    """Event handler: record and enqueue a delivery for each endpoint that wants the event.
    Idempotent; a failure to enqueue propagates so the dispatch is retried."""
    on_incident_events([event])


def on_incident_events(events: list[IncidentEvent]) -> None:
    """The same for a dispatched batch, reading the active endpoints once."""
    active = list(WebhookEndpoint.objects.filter(active=True))
    # A drill's practice incident never leaves the building.
    events = [event for event in events if not event.incident.practice]
    for event in events if active else ():
        _deliver(event, [e for e in active if e.wants(event.kind)])


def _deliver(event: IncidentEvent, endpoints: list[WebhookEndpoint]) -> None:
    from api.tasks import deliver_webhook

    if not endpoints:
        return
    payload = event_payload(event)
    for endpoint in endpoints:
        delivery, _ = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint, event=event, defaults={"payload": payload}
        )
        if delivery.status == WebhookDelivery.Status.PENDING:
            deliver_webhook.delay(delivery.pk)


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    retryable: bool
    code: int | None = None
    error: str = ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an invitation to post the event somewhere else."""

    def redirect_request(self, *args, **kwargs):
        return None


# Every connection goes to a checked public address (itsm/outbound.py).
_opener = outbound.build_opener(_NoRedirects)


def post(delivery: WebhookDelivery) -> Outcome:
    """POST the signed payload once. 2xx is delivered; 408, 429, 5xx and network errors
    are worth retrying; anything else, a refused destination included, will not get
    better by retrying."""
    endpoint = delivery.endpoint
    if not endpoint.url.lower().startswith(("http://", "https://")):
        return Outcome(False, False, error="Only http and https URLs are supported.")
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-ITSM-Event": delivery.payload["event"]["kind"],
            "X-ITSM-Delivery": str(delivery.pk),
            "X-ITSM-Signature": sign(endpoint.secret, int(time.time()), body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return Outcome(True, False, code=response.status)
    except outbound.DestinationRefused as exc:
        return Outcome(False, False, error=str(exc)[:500])
    except urllib.error.HTTPError as exc:
        retry = exc.code in (408, 429) or exc.code >= 500
        return Outcome(False, retry, code=exc.code, error=f"HTTP {exc.code} {exc.reason}"[:500])
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return Outcome(False, True, error=str(getattr(exc, "reason", exc))[:500])
