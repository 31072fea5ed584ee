"""Outgoing requests reach public addresses only: private, loopback, link-local, multicast
and reserved destinations are refused after DNS resolution, when a webhook is saved (the
admin and the API say why) and on every connection (a name re-pointed later, a redirect),
unless ITSM_OUTBOUND_ALLOWLIST names them."""

import ipaddress
import socket
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest

from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks import on_incident_event
from itsm import outbound
from tests.api.conftest import webhook_form

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("fd00::1", "private"),
    ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"),
    ("224.0.0.251", "multicast"),
    ("0.0.0.0", "unspecified"),  # noqa: S104 - an address under test, not a bind
    ("100.64.0.1", "not a public address"),
]


@pytest.mark.parametrize("address, kind", REFUSED)
def test_non_public_addresses_are_refused_with_the_reason(address, kind):
    assert kind in outbound.refusal(ipaddress.ip_address(address))


def test_public_addresses_and_allowlisted_networks_are_reachable(settings):
    assert outbound.refusal(ipaddress.ip_address("93.184.216.34")) is None
    settings.ITSM_OUTBOUND_ALLOWLIST = ["127.0.0.1", "10.20.0.0/16"]
    assert outbound.refusal(ipaddress.ip_address("127.0.0.1")) is None
    assert outbound.refusal(ipaddress.ip_address("10.20.3.4")) is None
    assert outbound.refusal(ipaddress.ip_address("10.21.0.1")) is not None


def resolving_to(address: str):
    """getaddrinfo answering `address` for any name, as a DNS record would."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET

    def getaddrinfo(host, port, *args, **kwargs):
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    return mock.patch.object(outbound.socket, "getaddrinfo", side_effect=getaddrinfo)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/hook", "http://localhost/hook", "https://[::1]/hook"]
)
def test_the_api_refuses_a_loopback_webhook_and_says_why(manager_api, url):
    response = manager_api.post("/api/v1/webhooks/", {"name": "x", "url": url}, format="json")
    assert response.status_code == 400
    [message] = response.json()["errors"]["url"]
    assert "loopback address" in message and "ITSM_OUTBOUND_ALLOWLIST" in message


@pytest.mark.django_db
def test_the_api_refuses_a_name_that_resolves_to_cloud_metadata(manager_api):
    with resolving_to("169.254.169.254"):
        response = manager_api.post(
            "/api/v1/webhooks/", {"name": "x", "url": "http://hooks.example.com/"}, format="json"
        )
    assert response.status_code == 400
    assert "link-local" in response.json()["errors"]["url"][0]


@pytest.mark.django_db
def test_the_admin_refuses_a_private_webhook_and_says_why(client, manager):
    client.force_login(manager)
    response = client.post(
        "/admin/api/webhookendpoint/add/", webhook_form(url="http://10.0.0.5/hook", active="on")
    )
    assert response.status_code == 200
    assert "10.0.0.5 is a private address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_the_allowlist_lets_a_named_internal_receiver_be_registered(manager_api, settings):
    settings.ITSM_OUTBOUND_ALLOWLIST = ["127.0.0.1"]
    body = {"name": "x", "url": "http://127.0.0.1:8080/hook"}
    assert manager_api.post("/api/v1/webhooks/", body, format="json").status_code == 201


class Receiver(ThreadingHTTPServer):
    """A local HTTP server counting requests; `redirect_to` makes it answer 302."""

    def __init__(self, redirect_to: str | None = None):
        self.hits = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                server.hits += 1
                self.send_response(302 if redirect_to else 204)
                if redirect_to:
                    self.send_header("Location", redirect_to)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


@pytest.fixture
def local_receiver():
    server = Receiver()
    yield server
    server.shutdown()


@pytest.mark.django_db
def test_a_delivery_to_a_loopback_address_is_refused_and_never_sent(incident, local_receiver):
    WebhookEndpoint.objects.create(name="Sneaky", url=local_receiver.url)  # saved unchecked
    on_incident_event(incident.events.get(kind="created"))
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "127.0.0.1 is a loopback address" in delivery.error
    assert local_receiver.hits == 0


@pytest.mark.django_db
def test_a_name_re_pointed_at_a_private_address_after_saving_is_refused(incident):
    WebhookEndpoint.objects.create(name="Chat", url="http://hooks.example.com/in")
    with resolving_to("192.168.0.10"):
        on_incident_event(incident.events.get(kind="created"))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and "192.168.0.10 is a private address" in delivery.error


def test_a_redirect_to_a_private_address_is_refused_on_connection(settings):
    settings.ITSM_OUTBOUND_ALLOWLIST = ["127.0.0.1"]
    server = Receiver(redirect_to="http://10.9.8.7/latest/meta-data/")
    try:
        request = urllib.request.Request(server.url, data=b"{}", method="POST")
        with pytest.raises(outbound.DestinationRefused, match="10.9.8.7 is a private address"):
            outbound.build_opener().open(request, timeout=5)
        assert server.hits == 1
    finally:
        server.shutdown()
