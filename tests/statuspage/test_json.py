"""summary.json and status.json in the shape of Atlassian Statuspage's public API (v2),
checked field by field."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from incidents import services
from incidents.choices import Channel

pytestmark = pytest.mark.django_db
PAGE_FIELDS = {"id", "name", "url", "time_zone", "updated_at"}
COMPONENT_FIELDS = {
    "id", "name", "status", "created_at", "updated_at", "position", "description",
    "showcase", "start_date", "group_id", "page_id", "group", "only_show_if_degraded",
}  # fmt: skip
INCIDENT_FIELDS = {
    "id", "name", "status", "created_at", "updated_at", "monitoring_at", "resolved_at",
    "impact", "shortlink", "started_at", "page_id", "incident_updates", "components",
}  # fmt: skip
UPDATE_FIELDS = {
    "id", "status", "body", "incident_id", "created_at", "updated_at", "display_at",
    "affected_components", "deliver_notifications", "custom_tweet", "tweet_id",
}  # fmt: skip
MAINTENANCE_FIELDS = INCIDENT_FIELDS | {"scheduled_for", "scheduled_until"}


def summary(client):
    response = client.get(reverse("status-summary-json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_an_all_clear_page_says_none_and_lists_components(client, service):
    data = summary(client)
    assert set(data) == {"page", "components", "incidents", "scheduled_maintenances", "status"}
    page = data["page"]
    assert set(page) == PAGE_FIELDS
    assert page["id"] and page["name"] == "Service status"
    assert page["url"] == settings.SITE_URL + "/status/"
    assert page["time_zone"] == "UTC"
    assert parse_datetime(page["updated_at"]) is not None
    assert data["status"] == {"indicator": "none", "description": "All Systems Operational"}
    [component] = data["components"]
    assert set(component) == COMPONENT_FIELDS
    assert component["id"] == "vpn" and component["name"] == "VPN"
    assert component["status"] == "operational"
    assert component["position"] == 1 and component["page_id"] == page["id"]
    assert component["group"] is False and component["group_id"] is None
    assert component["showcase"] is True and component["only_show_if_degraded"] is False
    assert parse_datetime(component["created_at"]) and parse_datetime(component["updated_at"])
    assert data["incidents"] == [] and data["scheduled_maintenances"] == []


def test_an_ongoing_major_incident_is_critical_with_its_public_updates(
    client, make_incident, service, manager, publish, reporter
):
    incident = make_incident(title="VPN outage", service=service)
    services.incident_declare_major(incident=incident, actor=manager, via=Channel.ADMIN)
    publish(incident, "Gateway restarting.")
    services.incident_comment(
        incident=incident, author=reporter, body="me too", public=True, via=Channel.PORTAL
    )
    data = summary(client)
    assert data["status"] == {"indicator": "critical", "description": "Major System Outage"}
    assert data["components"][0]["status"] == "major_outage"
    [found] = data["incidents"]
    assert set(found) == INCIDENT_FIELDS
    assert found["name"] == "VPN outage"
    assert found["status"] == "investigating" and found["impact"] == "critical"
    assert found["resolved_at"] is None and found["monitoring_at"] is None
    assert parse_datetime(found["created_at"]) and parse_datetime(found["started_at"])
    assert found["page_id"] == data["page"]["id"]
    assert incident.number not in str(data)
    assert found["components"] == [
        {"id": "vpn", "name": "VPN", "status": "major_outage", "page_id": data["page"]["id"]}
    ]
    [update] = found["incident_updates"]
    assert set(update) == UPDATE_FIELDS
    assert update["body"] == "Gateway restarting." and update["incident_id"] == found["id"]
    assert update["status"] == "investigating"
    assert parse_datetime(update["display_at"]) is not None


def test_degradation_is_minor_and_an_outage_major(client, make_incident, service, team):
    from incidents.models import Service

    make_incident(service=service, impact="medium", urgency="low")
    assert summary(client)["status"]["indicator"] == "minor"
    assert summary(client)["components"][0]["status"] == "degraded_performance"
    other = Service.objects.create(name="Wi-Fi", slug="wifi", owner_team=team)
    make_incident(service=other, impact="high", urgency="high")
    from statuspage.cache import status_changed

    status_changed()  # what the incident's event does once the worker handles it
    data = summary(client)
    assert data["status"] == {"indicator": "major", "description": "Partial System Outage"}
    assert [c["status"] for c in data["components"]] == ["degraded_performance", "major_outage"]


def test_scheduled_and_running_maintenance_are_listed(client, make_window, service):
    now = timezone.now()
    make_window(now + timedelta(days=1), now + timedelta(days=1, hours=2), title="Later")
    make_window(now - timedelta(minutes=1), now + timedelta(hours=1), title="Now")
    make_window(now - timedelta(hours=3), now - timedelta(hours=2), title="Done")
    data = summary(client)
    assert [m["name"] for m in data["scheduled_maintenances"]] == ["Now", "Later"]
    running, later = data["scheduled_maintenances"]
    assert set(running) == MAINTENANCE_FIELDS
    assert running["status"] == "in_progress" and later["status"] == "scheduled"
    assert running["impact"] == "maintenance"
    assert parse_datetime(later["scheduled_for"]) < parse_datetime(later["scheduled_until"])
    assert data["components"][0]["status"] == "under_maintenance"


def test_status_json_is_the_page_and_the_indicator(client, service):
    response = client.get(reverse("status-status-json"))
    data = response.json()
    assert set(data) == {"page", "status"}
    assert set(data["page"]) == PAGE_FIELDS
    assert data["status"] == {"indicator": "none", "description": "All Systems Operational"}
