"""Fixtures of monitoring intake: integrations with their tokens, the captured
Alertmanager payloads (shared/samples/alertmanager beside the repository) and generated ones."""

import copy
import json
from pathlib import Path

import pytest

from integrations import services

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "alertmanager"
ALERTMANAGER_URL = "/api/v1/integrations/alertmanager/"
EVENTS_URL = "/api/v1/events/"
HEARTBEAT_URL = "/api/v1/integrations/heartbeat/"


def sample(name: str) -> dict:
    """A payload exactly as Alertmanager 0.25 posted it (fresh copy each time)."""
    return json.loads((SAMPLES / f"{name}.json").read_text())


def generated(group: str, *alerts: dict, status: str | None = None) -> dict:
    """A version-4 webhook body for one group; each alert is (labels..., status, fp)."""
    items = []
    for spec in alerts:
        spec = dict(spec)
        alert_status = spec.pop("status", "firing")
        fingerprint = spec.pop("fingerprint")
        annotations = spec.pop("annotations", {})
        items.append(
            {
                "status": alert_status,
                "labels": {"alertname": group, **spec},
                "annotations": annotations,
                "startsAt": "2026-11-27T04:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus:9090/graph",
                "fingerprint": fingerprint,
            }
        )
    firing = any(item["status"] == "firing" for item in items)
    return {
        "version": "4",
        "receiver": "itsm",
        "status": status or ("firing" if firing else "resolved"),
        "groupKey": f'{{}}:{{alertname="{group}"}}',
        "groupLabels": {"alertname": group},
        "commonLabels": {"alertname": group},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "truncatedAlerts": 0,
        "alerts": items,
    }


def resolved(payload: dict) -> dict:
    body = copy.deepcopy(payload)
    body["status"] = "resolved"
    for alert in body["alerts"]:
        alert["status"] = "resolved"
        alert["endsAt"] = "2026-11-27T05:00:00Z"
    return body


@pytest.fixture
def checkout(db, team):
    from incidents.models import Service

    return Service.objects.create(name="Checkout", slug="checkout", owner_team=team)


@pytest.fixture
def make_integration(db):
    def make(kind="alertmanager", name=None, **options):
        name = name or f"{kind}-{len(services.Integration.objects.all()) + 1}"
        return services.integration_create(kind=kind, name=name, **options)

    return make


@pytest.fixture
def alertmanager(make_integration, service):
    """(integration, token): Prometheus Alertmanager, default service VPN."""
    return make_integration("alertmanager", name="Prometheus", default_service=service)


@pytest.fixture
def events_integration(make_integration, service):
    return make_integration("events", name="Scripts", default_service=service)


@pytest.fixture
def post_alerts(client, alertmanager):
    def post(payload, token=None):
        return client.post(
            ALERTMANAGER_URL,
            data=json.dumps(payload),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token or alertmanager[1]}"},
        )

    return post


@pytest.fixture
def post_event(client, events_integration):
    def post(body, token=None):
        return client.post(
            EVENTS_URL,
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token or events_integration[1]}"},
        )

    return post


def trigger(dedup_key=None, summary="Disk full on db-1", severity="error", **payload):
    body = {
        "event_action": "trigger",
        "payload": {"summary": summary, "source": "db-1", "severity": severity, **payload},
    }
    if dedup_key:
        body["dedup_key"] = dedup_key
    return body
