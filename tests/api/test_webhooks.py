import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEndpoint
from api.tasks import deliver_webhook, sweep_webhook_deliveries, webhooks_sweep
from api.webhooks import on_incident_event
from incidents import services
from incidents.choices import Channel
from tests.api.conftest import url


class Receiver:
    """A real HTTP server that answers with scripted statuses and keeps what it got."""

    def __init__(self):
        self.statuses: list[int] = []
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": self.headers, "body": body})
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 20.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received


@pytest.fixture(autouse=True)
def _local_receivers_allowed(settings):
    """The receivers here listen on 127.0.0.1, which outgoing requests may reach only when
    the allowlist names it (tests/security/test_outbound.py covers the refusals)."""
    settings.ITSM_OUTBOUND_ALLOWLIST = ["127.0.0.1"]


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.server.shutdown()


@pytest.fixture
def endpoint(db, receiver, manager):
    return WebhookEndpoint.objects.create(name="Chat", url=receiver.url, created_by=manager)


@pytest.fixture
def eager_retries():
    """Inline tasks run their retries inline only when errors do not propagate."""
    from itsm.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def verify(secret: str, headers, body: bytes) -> bool:
    parts = dict(item.split("=", 1) for item in headers["X-ITSM-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


@pytest.mark.django_db
def test_an_incident_event_reaches_the_endpoint_as_signed_json(
    endpoint, receiver, reporter_api, django_capture_on_commit_callbacks, service
):
    with django_capture_on_commit_callbacks(execute=True):
        number = reporter_api.post(
            url("incidents/"), {"title": "VPN down", "service": "vpn"}, format="json"
        ).json()["number"]
    [request] = receiver.wait_for(1)
    payload = json.loads(request["body"])
    assert payload["event"]["kind"] == "created" and payload["event"]["channel"] == "api"
    assert payload["incident"]["number"] == number and payload["incident"]["service"] == "vpn"
    assert request["headers"]["X-ITSM-Event"] == "created"
    assert verify(endpoint.secret, request["headers"], request["body"])
    assert not verify("wrong-secret", request["headers"], request["body"])
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 204)


@pytest.mark.django_db
def test_an_endpoint_gets_only_the_event_kinds_it_asked_for(
    endpoint, receiver, incident, responder
):
    endpoint.events = ["resolved"]
    endpoint.save()
    event = services.incident_acknowledge(
        incident=incident, actor=responder, via=Channel.ADMIN
    ).events.latest("pk")
    on_incident_event(event)
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_an_event_handled_twice_is_delivered_once(endpoint, receiver, incident):
    event = incident.events.get(kind="created")
    on_incident_event(event)
    on_incident_event(event)
    deliver_webhook(WebhookDelivery.objects.get().pk)
    assert len(receiver.wait_for(1, timeout=1)) == 1
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db
def test_server_errors_are_retried_until_the_endpoint_accepts(
    endpoint, receiver, incident, eager_retries
):
    receiver.statuses = [500, 503]
    on_incident_event(incident.events.get(kind="created"))
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.wait_for(3)) == 3
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 204)


@pytest.mark.django_db
def test_a_client_error_is_not_retried(endpoint, receiver, incident):
    receiver.statuses = [410]
    on_incident_event(incident.events.get(kind="created"))
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 1, 410)
    assert len(receiver.received) == 1


@pytest.mark.django_db
def test_an_unreachable_endpoint_fails_after_the_last_attempt(incident, eager_retries):
    WebhookEndpoint.objects.create(name="Gone", url="http://127.0.0.1:9/hook")
    on_incident_event(incident.events.get(kind="created"))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 6
    assert delivery.error


@pytest.mark.django_db
def test_a_delivery_a_killed_worker_held_is_sent_once_its_lease_lapsed(
    endpoint, receiver, incident, django_capture_on_commit_callbacks
):
    with mock.patch("api.tasks.deliver_webhook.delay"):  # the task died with its worker
        on_incident_event(incident.events.get(kind="created"))
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(seconds=30), attempts=1
    )
    assert sweep_webhook_deliveries() == 0 and deliver_webhook(delivery.pk) == "skipped"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=61)
    )
    assert sweep_webhook_deliveries() == 1
    assert len(receiver.wait_for(1)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


@pytest.mark.django_db
def test_the_sweep_publishes_deliveries_never_handed_over_or_whose_retry_was_lost(
    endpoint, incident
):
    with mock.patch("api.tasks.deliver_webhook.delay"):
        on_incident_event(incident.events.get(kind="created"))
    delivery = WebhookDelivery.objects.get()
    later = timezone.now() + timedelta(minutes=1)
    assert webhooks_sweep() == [] and webhooks_sweep(now=later) == [delivery.pk]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="retrying", next_attempt_at=later)
    assert webhooks_sweep(now=later) == []
    assert webhooks_sweep(now=later + timedelta(minutes=1)) == [delivery.pk]


@pytest.mark.django_db
def test_a_delivery_interrupted_on_every_attempt_fails_instead_of_looping(endpoint, incident):
    with mock.patch("api.tasks.deliver_webhook.delay"):
        on_incident_event(incident.events.get(kind="created"))
    WebhookDelivery.objects.update(
        status="sending", claimed_at=timezone.now() - timedelta(minutes=5), attempts=6
    )
    assert deliver_webhook(WebhookDelivery.objects.get().pk) == "skipped"
    assert webhooks_sweep() == []
    assert WebhookDelivery.objects.get().status == "failed"


@pytest.mark.django_db
def test_managers_register_webhooks_over_the_api_and_see_the_secret(manager_api, receiver):
    response = manager_api.post(
        url("webhooks/"),
        {"name": "Chat", "url": receiver.url, "events": ["resolved", "created"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["secret"].startswith("whsec_") and data["events"] == ["created", "resolved"]
    assert data["created_by"] == "manager"
    webhook = url(f"webhooks/{data['id']}/")
    assert manager_api.patch(webhook, {"active": False}, format="json").json()["active"] is False
    assert manager_api.get(url(f"webhooks/{data['id']}/deliveries/")).json() == []
    assert manager_api.delete(webhook).status_code == 204


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "url": "ftp://example.com/hook"},
        {"name": "x", "url": "not a url"},
        {"name": "x", "url": "https://example.com/", "events": ["exploded"]},
    ],
)
def test_invalid_webhooks_are_400(manager_api, body):
    assert manager_api.post(url("webhooks/"), body, format="json").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["reporter_api", "responder_api"])
def test_only_managers_manage_webhooks(persona, request):
    response = request.getfixturevalue(persona).get(url("webhooks/"))
    assert response.status_code == 403


@pytest.mark.services
def test_a_real_worker_delivers_the_webhook_of_an_api_change(
    celery_worker, receiver, manager, client_for, service
):
    WebhookEndpoint.objects.create(name="Chat", url=receiver.url, events=["created"])
    client = client_for(manager)
    response = client.post(url("incidents/"), {"title": "Disk full"}, format="json")
    [request] = receiver.wait_for(1)
    assert json.loads(request["body"])["incident"]["number"] == response.json()["number"]
