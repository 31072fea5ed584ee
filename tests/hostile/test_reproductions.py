"""The six reproductions of issue 21, each as it was reported: hostile input that used to
end in a 5xx (or, for the NUL alert, in a 503 that made Alertmanager retry for ever)."""

import json

import pytest
from django.test import Client

from incidents.models import Incident
from integrations.models import Integration
from integrations.services import integration_create
from tests.api.conftest import url
from tests.integrations.conftest import ALERTMANAGER_URL, EVENTS_URL, generated

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000


def _post(client, path, body: str, **headers):
    return client.post(path, data=body, content_type="application/json", **headers)


@pytest.fixture
def tokens(service):
    _, am = integration_create(kind="alertmanager", name="Prometheus", default_service=service)
    _, ev = integration_create(kind="events", name="Zabbix", default_service=service)
    return {"alertmanager": am, "events": ev}


def test_deep_json_on_the_events_api_without_a_token_is_a_400(client):
    response = _post(client, EVENTS_URL, DEEP)
    assert response.status_code == 400
    assert "nest" in response.json()["message"] + " ".join(response.json()["errors"])


def test_deep_json_on_the_alertmanager_webhook_is_a_400(client, tokens):
    bearer = f"Bearer {tokens['alertmanager']}"
    response = _post(client, ALERTMANAGER_URL, DEEP, HTTP_AUTHORIZATION=bearer)
    assert response.status_code == 400


@pytest.mark.parametrize("levels", [900, 1_100, 50_000])
def test_deep_json_on_the_rest_api_create_is_a_400_in_the_api_shape(responder_api, levels):
    body = '{"title": ' + "[" * levels + "]" * levels + "}"
    response = responder_api.post(url("incidents/"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert not Incident.objects.exists()


def test_deep_json_on_the_rest_api_patch_is_a_400(responder_api, incident):
    path = url(f"incidents/{incident.number}/")
    response = responder_api.patch(path, DEEP, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("door", ["alertmanager", "events"])
def test_a_lone_surrogate_in_a_monitoring_payload_is_stored_replaced(client, tokens, door):
    if door == "alertmanager":
        body = json.dumps(generated("DiskFull", {"fingerprint": "f1", "host": "db\ud800"}))
        path = ALERTMANAGER_URL
    else:
        body = json.dumps(
            {
                "event_action": "trigger",
                "payload": {"summary": "Disk \ud800 full", "source": "db", "severity": "error"},
            }
        )
        path = EVENTS_URL
    response = _post(client, path, body, HTTP_AUTHORIZATION=f"Bearer {tokens[door]}")
    assert response.status_code in (200, 202), response.content
    incident = Incident.objects.get()
    assert "\ufffd" in incident.description or "\ufffd" in incident.title


@pytest.mark.parametrize("door", ["alertmanager", "events"])
def test_a_nul_in_a_monitoring_payload_is_stored_replaced_never_a_retry(client, tokens, door):
    if door == "alertmanager":
        payload = generated("DiskFull", {"fingerprint": "f1", "host": "db\x00"})
        payload["commonAnnotations"] = {"summary": "Disk\x00full"}
        path = ALERTMANAGER_URL
    else:
        payload = {
            "event_action": "trigger",
            "payload": {"summary": "Disk\x00full", "source": "db", "severity": "error"},
        }
        path = EVENTS_URL
    response = _post(client, path, json.dumps(payload), HTTP_AUTHORIZATION=f"Bearer {tokens[door]}")
    assert response.status_code in (200, 202), response.content
    assert "Retry-After" not in response
    incident = Incident.objects.get()
    assert incident.title == "Disk\ufffdfull"
    assert "replaced by U+FFFD in: " in incident.description


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_username_longer_than_the_database_allows_is_a_form_error(settings, path, reporter):
    settings.AXES_ENABLED = True
    response = Client().post(path, {"username": "a" * 300, "password": "x"})
    assert response.status_code in (200, 400)
    assert b"at most 150 characters" in response.content


def test_options_on_the_api_docs_is_not_a_server_error():
    response = Client().options("/api/docs/")
    assert response.status_code in (200, 204, 405)
    assert "GET" in response["Allow"]


def test_a_right_to_left_override_in_a_title_is_isolated_on_the_page(client, reporter):
    from incidents import services
    from incidents.choices import Channel

    incident = services.incident_create(
        title="Invoice \u202egpj.exe", reporter=reporter, via=Channel.PORTAL
    )
    client.force_login(reporter)
    page = client.get(f"/portal/incidents/{incident.number}/").content.decode()
    assert "\u2068Invoice \u202egpj.exe\u2069" in page or "<bdi>Invoice \u202egpj.exe</bdi>" in page
    assert "Invoice \u202egpj.exe</h1>" not in page


def test_refused_payloads_are_counted_on_the_integration(client, tokens):
    bearer = f"Bearer {tokens['alertmanager']}"
    assert _post(client, ALERTMANAGER_URL, DEEP, HTTP_AUTHORIZATION=bearer).status_code == 400
    integration = Integration.objects.get(name="Prometheus")
    assert integration.refused_count == 1
    assert "nest" in integration.last_refused_reason


def test_a_right_to_left_override_never_reaches_a_mail_subject(
    make_incident, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        make_incident(title="Invoice \u202egpj.exe")
    assert mailoutbox
    for message in mailoutbox:
        assert "Invoice gpj.exe" in message.subject
        assert "\u202e" not in message.subject


def test_a_right_to_left_override_in_a_title_is_isolated_in_the_workspace(
    client, responder, make_incident
):
    incident = make_incident(title="Invoice \u202egpj.exe")
    client.force_login(responder)
    page = client.get(f"/admin/incidents/incident/{incident.pk}/change/").content.decode()
    assert "\u2068Invoice \u202egpj.exe\u2069" in page
    assert "Invoice \u202egpj.exe<" not in page


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/portal/report/", {"title": "VPN\x00down", "impact": "high", "urgency": "high"}),
        ("/admin/incidents/service/add/", {"name": "VPN\x00", "slug": "vpn2"}),
        ("/portal/report/?service=%00", None),
    ],
)
def test_a_nul_in_a_page_field_is_a_400_naming_the_field(client, superuser, path, data):
    client.force_login(superuser)
    response = client.post(path, data) if data else client.get(path)
    assert response.status_code == 400
    name = "service" if data is None else next(k for k, v in data.items() if "\x00" in v)
    assert f"'{name}'" in response.content.decode()
