"""The generic events API in PagerDuty's Events API v2 shape: trigger, acknowledge, resolve,
validation with `errors`, limits and the per-integration rate limit."""

import json
from unittest.mock import ANY

import pytest
from django.core.cache import cache

from incidents.choices import Status
from incidents.models import Incident
from integrations.models import Alert, Delivery
from tests.integrations.conftest import EVENTS_URL, sample, trigger

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_a_trigger_is_accepted_with_a_generated_dedup_key_that_opens_the_incident(post_event):
    response = post_event(trigger(severity="critical"))

    assert response.status_code == 202
    body = response.json()
    incident = Incident.objects.get()
    assert body == {"status": "success", "message": "Event accepted", "dedup_key": ANY}
    assert len(body["dedup_key"]) == 32
    assert incident.title == "Disk full on db-1"
    assert incident.priority == "P1"
    assert Alert.objects.get().fingerprint == body["dedup_key"]


def test_triggers_with_the_same_dedup_key_attach_to_the_open_incident(post_event):
    first = post_event(trigger("disk-db-1")).json()
    second = post_event(trigger("disk-db-1")).json()

    assert first["dedup_key"] == second["dedup_key"] == "disk-db-1"
    assert Incident.objects.count() == 1
    assert Alert.objects.get().count == 2


def test_acknowledge_acknowledges_the_incident(post_event):
    post_event(trigger("disk-db-1"))
    response = post_event({"event_action": "acknowledge", "dedup_key": "disk-db-1"})

    assert response.status_code == 202
    incident = Incident.objects.get()
    assert response.json()["dedup_key"] == "disk-db-1"
    assert incident.status == Status.ACKNOWLEDGED


def test_resolve_resolves_the_incident_and_a_later_trigger_opens_a_recurrence(post_event):
    post_event(trigger("disk-db-1"))
    response = post_event({"event_action": "resolve", "dedup_key": "disk-db-1"})
    assert response.status_code == 202
    first = Incident.objects.get()
    assert first.status == Status.RESOLVED
    assert first.resolution_code.code == "auto_resolved"

    assert post_event(trigger("disk-db-1")).status_code == 202
    second = Incident.objects.exclude(pk=first.pk).get()
    assert second.recurrence_of == first


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_acknowledge_or_resolve_for_an_unknown_key_is_accepted_and_changes_nothing(
    post_event, action
):
    response = post_event({"event_action": action, "dedup_key": "never-seen"})
    assert response.status_code == 202
    assert response.json()["dedup_key"] == "never-seen"
    assert not Incident.objects.exists()
    assert not Delivery.objects.exists()  # applied (as nothing) and gone


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_acknowledge_or_resolve_for_a_resolved_key_changes_nothing(post_event, action):
    post_event(trigger("k"))
    post_event({"event_action": "resolve", "dedup_key": "k"})
    incident = Incident.objects.get()

    assert post_event({"event_action": action, "dedup_key": "k"}).status_code == 202

    after = Incident.objects.get()
    assert (after.status, after.version) == (Status.RESOLVED, incident.version)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"event_action": "explode"}, "`event_action` must be one of"),
        ({"event_action": "trigger"}, "`payload` is required"),
        (trigger(summary=""), "`payload.summary` is required"),
        (trigger(severity="fatal"), "`payload.severity` must be one of"),
        (trigger(summary="x" * 1025), "longer than 1024"),
        (trigger("k" * 256), "`dedup_key` is longer than 255"),
        ({"event_action": "resolve"}, "`dedup_key` is required to resolve"),
        ({**trigger(), "links": "http://x"}, "`links` must be a list"),
        ({**trigger(), "payload": {"summary": "s", "severity": "info"}}, "`payload.source`"),
    ],
)
def test_invalid_events_get_400_with_the_reason_listed_in_errors(post_event, body, error):
    response = post_event(body)
    assert response.status_code == 400
    assert response.json()["status"] == "invalid event"
    assert any(error in message for message in response.json()["errors"])
    assert not Alert.objects.exists()


def test_every_problem_of_an_event_is_listed_at_once(post_event):
    response = post_event({"event_action": "trigger", "payload": {"severity": "loud"}})
    assert len(response.json()["errors"]) == 3  # summary, source, severity


def test_limits_at_their_maximum_are_accepted(post_event):
    response = post_event(trigger("k" * 255, summary="s" * 1024))
    assert response.status_code == 202
    assert len(Incident.objects.get().title) == 200  # the title is cut, the alert keeps it all
    assert len(Alert.objects.get().annotations["summary"]) == 1024


def test_a_body_that_is_not_json_is_a_400(client, events_integration):
    response = client.post(
        EVENTS_URL,
        data="nope",
        content_type="application/json",
        headers={"Authorization": f"Bearer {events_integration[1]}"},
    )
    assert response.status_code == 400
    assert response.json()["errors"]


def test_the_token_may_also_come_as_routing_key_in_the_body(client, events_integration):
    body = {**trigger("rk"), "routing_key": events_integration[1]}
    response = client.post(EVENTS_URL, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 202


def test_an_alertmanager_token_is_not_accepted_on_the_events_endpoint(post_event, alertmanager):
    assert post_event(trigger(), token=alertmanager[1]).status_code == 403
    assert not Alert.objects.exists()


def test_over_the_per_integration_rate_limit_the_answer_is_429_with_retry_after(
    post_event, events_integration, make_integration
):
    integration = events_integration[0]
    integration.rate_limit_per_minute = 3
    integration.save()
    statuses = [post_event(trigger(f"k{i}")).status_code for i in range(4)]
    assert statuses == [202, 202, 202, 429]
    limited = post_event(trigger("k9"))
    assert 0 < int(limited["Retry-After"]) <= 60
    _other, other_token = make_integration("events", name="Other")
    assert post_event(trigger("k10"), token=other_token).status_code == 202  # its own budget


def test_links_and_custom_details_are_kept_on_the_alert_and_in_the_description(post_event):
    body = trigger(custom_details={"free_gb": 1, "mount": "/var"}, component="postgres")
    body["links"] = [{"href": "https://grafana.example.com/d/db", "text": "Dashboard"}]
    post_event(body)
    alert = Alert.objects.get()
    assert alert.labels["component"] == "postgres"
    assert alert.labels["mount"] == "/var"
    assert alert.annotations["custom_details"] == {"free_gb": 1, "mount": "/var"}
    assert alert.annotations["links"][0]["href"] == "https://grafana.example.com/d/db"
    description = Incident.objects.get().description
    assert "Dashboard: https://grafana.example.com/d/db" in description
    assert '"free_gb": 1' in description


def test_integration_tokens_are_not_accepted_by_the_rest_api(client, events_integration):
    response = client.get(
        "/api/v1/incidents/", headers={"Authorization": f"Bearer {events_integration[1]}"}
    )
    assert response.status_code in (401, 403, 404)


def test_the_alertmanager_sample_posted_to_the_events_endpoint_is_a_clear_400(post_event):
    response = post_event(sample("firing"))
    assert response.status_code == 400
    assert "`event_action` must be one of" in response.json()["errors"][0]
