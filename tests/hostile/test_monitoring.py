"""The monitoring intake (Alertmanager webhook, events API, heartbeats) against hostile
bodies, content types and methods, and valid payloads with a hostile value in each field.

A body that can never be stored is a 4xx (senders do not retry it) and counted on the
integration; a valid payload carrying characters that cannot be stored is accepted with
them replaced; nothing is a 5xx, and only an outage may answer 503."""

import copy
import json

import pytest
from django.test import Client

from incidents.models import Incident
from integrations.models import Integration
from integrations.services import integration_create
from tests.hostile.values import (
    CONTENT_TYPES,
    HOSTILE_STRINGS,
    HUGE_NUMBERS,
    RAW_BODIES,
    UNKNOWN_METHODS,
    send,
)
from tests.integrations.conftest import ALERTMANAGER_URL, EVENTS_URL, HEARTBEAT_URL, generated

pytestmark = pytest.mark.django_db

EVENT = {
    "event_action": "trigger",
    "dedup_key": "disk-db-1",
    "payload": {
        "summary": "Disk full",
        "source": "db-1",
        "severity": "critical",
        "component": "disk",
        "custom_details": {"free": "0%", "mount": "/var"},
    },
    "links": [{"href": "https://grafana.example.com/d/1", "text": "Dashboard"}],
}
ALERT = generated(
    "DiskFull",
    {"fingerprint": "f1", "service": "vpn", "severity": "critical"},
    {"fingerprint": "f2", "instance": "db-2", "annotations": {"summary": "Disk full"}},
)


@pytest.fixture
def doors(service):
    _, am = integration_create(kind="alertmanager", name="Prometheus", default_service=service)
    _, ev = integration_create(kind="events", name="Zabbix", default_service=service)
    return {
        ALERTMANAGER_URL: {"HTTP_AUTHORIZATION": f"Bearer {am}"},
        EVENTS_URL: {"HTTP_AUTHORIZATION": f"Bearer {ev}"},
        HEARTBEAT_URL: {"HTTP_AUTHORIZATION": f"Bearer {am}"},
    }


def _post(client, path: str, body: bytes, headers: dict, content_type="application/json"):
    return send(client, "monitoring", "POST", path, body, content_type, **headers)


def _leaves(value, path=()):
    """The path of every string and number in a payload."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        yield path


def _with(payload, path, hostile):
    changed = copy.deepcopy(payload)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = hostile
    return changed


def test_hostile_bodies_are_refused_with_a_4xx_and_counted(client, doors):
    for path in (ALERTMANAGER_URL, EVENTS_URL):
        for name, body in RAW_BODIES.items():
            response = send(
                client, "monitoring", "POST", path, body, "application/json", **doors[path]
            )
            assert 400 <= response.status_code < 500, (path, name)
            assert "Retry-After" not in response
    for integration in Integration.objects.all():
        assert integration.refused_count == len(RAW_BODIES)
        assert integration.last_refused_reason


def test_hostile_bodies_without_a_token_never_break_the_intake(client):
    for path in (ALERTMANAGER_URL, EVENTS_URL, HEARTBEAT_URL):
        for body in RAW_BODIES.values():
            response = _post(client, path, body, {})
            assert response.status_code in (400, 401), path


def test_content_types_methods_and_heartbeat_bodies_never_break_the_intake(client, doors):
    body = json.dumps(EVENT).encode()
    for path, headers in doors.items():
        for content_type in CONTENT_TYPES:
            _post(client, path, body, headers, content_type)
        for method in UNKNOWN_METHODS:
            assert send(client, "monitoring", method, path, **headers).status_code == 405
    for body in RAW_BODIES.values():
        send(
            client,
            "monitoring",
            "POST",
            HEARTBEAT_URL,
            body,
            "application/json",
            **doors[HEARTBEAT_URL],
        )


@pytest.mark.parametrize("hostile", list(HOSTILE_STRINGS), ids=str)
def test_an_alertmanager_payload_with_a_hostile_field_is_still_stored(client, doors, hostile):
    """Alertmanager drops a notification for good on any 4xx: a payload with the shape of
    a webhook is accepted whatever one of its values holds."""
    for path in _leaves(ALERT):
        body = json.dumps(_with(ALERT, path, HOSTILE_STRINGS[hostile])).encode()
        response = send(
            client,
            "monitoring",
            "POST",
            ALERTMANAGER_URL,
            body,
            "application/json",
            **doors[ALERTMANAGER_URL],
        )
        assert response.status_code == 200, (path, response.content[:300])


@pytest.mark.parametrize("hostile", [*HOSTILE_STRINGS, *HUGE_NUMBERS], ids=str)
def test_an_event_with_a_hostile_field_is_stored_or_refused_never_retried(client, doors, hostile):
    value = HOSTILE_STRINGS.get(hostile, HUGE_NUMBERS.get(hostile))
    for path in _leaves(EVENT):
        body = json.dumps(_with(EVENT, path, value)).encode()
        response = send(
            client, "monitoring", "POST", EVENTS_URL, body, "application/json", **doors[EVENTS_URL]
        )
        assert response.status_code in (202, 400), (path, response.content[:300])


def test_replaced_characters_are_said_on_the_incident_and_its_timeline(client, doors):
    from integrations.selectors import alert_timeline

    body = json.dumps(_with(EVENT, ("payload", "summary"), "Disk\x00full\ud800")).encode()
    response = send(
        client, "monitoring", "POST", EVENTS_URL, body, "application/json", **doors[EVENTS_URL]
    )
    assert response.status_code == 202
    incident = Incident.objects.get()
    assert incident.title == "Disk\ufffdfull\ufffd"
    assert "replaced by U+FFFD in: payload.summary" in incident.description
    assert any("payload.summary" in entry.body for entry in alert_timeline(incident))


def test_a_refusal_is_shown_to_managers_on_the_integrations_page(client, doors, manager):
    send(
        client,
        "monitoring",
        "POST",
        EVENTS_URL,
        RAW_BODIES["deep list"],
        "application/json",
        **doors[EVENTS_URL],
    )
    integration = Integration.objects.get(name="Zabbix")
    browser = Client()
    browser.force_login(manager)
    page = browser.get(f"/admin/integrations/integration/{integration.pk}/change/").content
    assert b"Refused deliveries" in page
    assert b"nested deeper than" in page
