"""The Alertmanager webhook with the payloads Alertmanager 0.25 really sent, and generated
ones: one incident per group, re-sends only counted, resolution, recurrence."""

import json
from unittest import mock

import pytest
from django.db import OperationalError

from incidents import services as incident_services
from incidents.choices import Channel, Status
from incidents.models import Incident
from integrations.models import Alert, AlertGroup
from tests.integrations.conftest import ALERTMANAGER_URL, generated, resolved, sample

pytestmark = pytest.mark.django_db


def test_a_firing_alert_opens_one_incident_titled_prioritised_and_routed_from_its_labels(
    post_alerts, checkout, team, alertmanager
):
    response = post_alerts(sample("firing"))

    assert response.status_code == 200
    assert response.json() == {"status": "success", "groups": 1, "alerts": 1}
    incident = Incident.objects.get()
    assert incident.title == "Checkout API 5xx rate above 5%"
    assert incident.service == checkout  # the `service` label names a known service
    assert incident.priority == "P1"  # severity critical
    assert incident.channel == Channel.MONITORING
    assert incident.team == team
    assert incident.reporter == alertmanager[0].service_user
    alert = Alert.objects.get()
    assert alert.fingerprint == "ac36b8d065d4a922"
    assert alert.labels["instance"] == "web-1:9100"
    assert alert.annotations["summary"] == "Checkout API 5xx rate above 5%"
    assert alert.ends_at is None  # Go's zero time means "not set"
    assert alert.count == 1


def test_history_records_the_integrations_service_user_as_the_actor(post_alerts, alertmanager):
    post_alerts(sample("firing"))
    record = Incident.objects.get().history.earliest()
    assert record.history_user == alertmanager[0].service_user
    assert "Monitoring" in record.history_change_reason
    assert alertmanager[0].service_user.get_full_name() == "Monitoring: Prometheus"


def test_a_resent_group_changes_counts_and_timestamps_only(post_alerts):
    post_alerts(sample("firing"))
    first = Alert.objects.get()
    incident = Incident.objects.get()

    for _ in range(3):  # repeat_interval re-sends and an HA twin
        assert post_alerts(sample("firing")).status_code == 200

    alert = Alert.objects.get()
    assert alert.count == 4
    assert alert.last_seen_at > first.last_seen_at
    assert alert.first_seen_at == first.first_seen_at
    assert Incident.objects.count() == 1
    incident.refresh_from_db()
    assert incident.version == 1  # the incident itself was not touched
    assert AlertGroup.objects.count() == 1


def test_the_resolved_delivery_resolves_the_incident_as_auto_resolved_by_monitoring(post_alerts):
    post_alerts(sample("firing"))
    assert post_alerts(sample("resolved")).status_code == 200

    incident = Incident.objects.get()
    assert incident.status == Status.RESOLVED
    assert incident.resolution_code.code == "auto_resolved"
    assert incident.resolution_code.name == "Auto-resolved by monitoring"
    assert incident.resolution_notes.startswith("auto-resolved by monitoring")
    assert incident.history.latest().history_change_reason == "Resolved via Monitoring"
    assert Alert.objects.get().status == "resolved"
    assert not AlertGroup.objects.get().open


def test_a_group_stays_firing_until_every_alert_in_it_resolved(post_alerts, make_user):
    post_alerts(sample("group-two-firing"))
    incident = Incident.objects.get()
    assert incident.title == "DiskSpaceLow"  # no common summary: the alert name
    assert incident.priority == "P3"  # warning

    post_alerts(sample("group-partially-resolved"))  # top-level status still "firing"
    incident.refresh_from_db()
    assert incident.status == Status.NEW
    assert dict(Alert.objects.values_list("fingerprint", "status")) == {
        "c364383779b4c5e3": "resolved",
        "ed28d48859ce2dd8": "firing",
    }

    post_alerts(resolved(sample("group-two-firing")))
    incident.refresh_from_db()
    assert incident.status == Status.RESOLVED
    assert Incident.objects.count() == 1


def test_an_incident_a_responder_resolved_by_hand_is_not_touched_by_a_late_resolved(
    post_alerts, responder
):
    post_alerts(sample("firing"))
    incident = incident_services.incident_resolve(
        incident=Incident.objects.get(),
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Rolled back the release.",
    )
    version = incident.version

    assert post_alerts(sample("resolved")).status_code == 200

    incident.refresh_from_db()
    assert incident.resolution_code.code == "fixed"
    assert incident.resolution_notes == "Rolled back the release."
    assert incident.version == version
    assert not AlertGroup.objects.get().open


def test_a_closed_incident_is_not_touched_by_a_late_resolved(post_alerts, responder):
    post_alerts(sample("firing"))
    incident = incident_services.incident_resolve(
        incident=Incident.objects.get(),
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Fixed.",
    )
    incident = incident_services.incident_close(incident=incident, actor=responder, via="admin")
    post_alerts(sample("resolved"))
    incident.refresh_from_db()
    assert incident.status == Status.CLOSED
    assert incident.resolution_notes == "Fixed."


def test_firing_again_after_resolution_opens_a_new_incident_linked_as_a_recurrence(post_alerts):
    post_alerts(sample("firing"))
    post_alerts(sample("resolved"))
    first = Incident.objects.get()

    post_alerts(sample("firing"))

    second = Incident.objects.exclude(pk=first.pk).get()
    assert second.recurrence_of == first
    assert second.status == Status.NEW
    assert "Recurrence of" in second.history.latest().history_change_reason
    assert AlertGroup.objects.filter(open=True).get().incident == second


def test_firing_after_a_responder_resolved_it_by_hand_opens_a_recurrence(post_alerts, responder):
    post_alerts(sample("firing"))
    first = incident_services.incident_resolve(
        incident=Incident.objects.get(),
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Fixed.",
    )
    post_alerts(sample("firing"))
    assert Incident.objects.exclude(pk=first.pk).get().recurrence_of == first


def test_with_auto_resolve_off_the_incident_stays_open_and_a_new_firing_joins_it(
    post_alerts, alertmanager
):
    integration = alertmanager[0]
    integration.auto_resolve = False
    integration.save()
    post_alerts(sample("firing"))
    post_alerts(sample("resolved"))
    incident = Incident.objects.get()
    assert incident.status == Status.NEW

    post_alerts(sample("firing"))
    assert Incident.objects.count() == 1
    assert AlertGroup.objects.filter(incident=incident).count() == 2


def test_a_resolved_delivery_for_a_group_never_seen_changes_nothing(post_alerts):
    assert post_alerts(sample("resolved")).status_code == 200
    assert not Incident.objects.exists()
    assert not AlertGroup.objects.exists()


def test_without_a_summary_the_title_is_the_alert_name_and_group_labels(post_alerts):
    payload = generated("HighLatency", {"fingerprint": "a1", "cluster": "eu-1"})
    payload["groupLabels"] = {"alertname": "HighLatency", "cluster": "eu-1"}
    post_alerts(payload)
    assert Incident.objects.get().title == "HighLatency: cluster=eu-1"


def test_an_unknown_service_label_falls_back_to_the_integrations_default_service(
    post_alerts, service
):
    post_alerts(generated("Down", {"fingerprint": "x", "service": "no-such-thing"}))
    assert Incident.objects.get().service == service


def test_each_severity_maps_to_its_priority_and_unknown_ones_to_the_default(post_alerts):
    expected = {"critical": "P1", "error": "P2", "warning": "P3", "info": "P5", "odd": "P3"}
    for severity in expected:
        post_alerts(generated(f"Sev{severity}", {"fingerprint": severity, "severity": severity}))
    priorities = {i.title: i.priority for i in Incident.objects.all()}
    assert priorities == {f"Sev{severity}": p for severity, p in expected.items()}


def test_a_newer_alertmanager_with_extra_keys_and_odd_values_is_still_accepted(post_alerts):
    payload = sample("firing")
    payload["notification_reason"] = "repeat"
    payload["version"] = "5"
    payload["alerts"][0]["silencedBy"] = []
    payload["alerts"][0]["labels"]["replicas"] = 3  # not a string
    payload["alerts"][0]["startsAt"] = "not a time"
    payload["alerts"].append("not an alert object")
    del payload["alerts"][0]["fingerprint"]

    response = post_alerts(payload)

    assert response.status_code == 200
    alert = Alert.objects.get()
    assert alert.labels["replicas"] == "3"
    assert len(alert.fingerprint) == 16  # derived from the labels
    assert alert.starts_at is None


def test_html_in_labels_and_annotations_is_stored_as_text(post_alerts):
    payload = generated(
        "XSS",
        {
            "fingerprint": "h",
            "team": "<b>ops</b>",
            "annotations": {"summary": "<script>alert(1)</script>"},
        },
    )
    post_alerts(payload)
    alert = Alert.objects.get()
    assert alert.labels["team"] == "<b>ops</b>"
    assert alert.annotations["summary"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer wrong"}, 401), ({"Authorization": "Basic x"}, 401)],
)
def test_a_missing_or_wrong_token_is_refused_and_nothing_stored(
    client, alertmanager, headers, status
):
    response = client.post(
        ALERTMANAGER_URL,
        data=json.dumps(sample("firing")),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == status
    assert response.json()["errors"]
    assert not Alert.objects.exists()


def test_an_events_integrations_token_is_not_accepted_here(post_alerts, events_integration):
    response = post_alerts(sample("firing"), token=events_integration[1])
    assert response.status_code == 403
    assert "only on that integration's endpoint" in response.json()["message"]
    assert not Alert.objects.exists()


def test_an_inactive_integration_is_refused(post_alerts, alertmanager):
    alertmanager[0].active = False
    alertmanager[0].save()
    assert post_alerts(sample("firing")).status_code == 403


def test_a_body_that_is_not_json_or_has_no_alert_list_is_a_clear_400(client, alertmanager):
    auth = {"Authorization": f"Bearer {alertmanager[1]}"}
    bad_json = client.post(
        ALERTMANAGER_URL, data="{", content_type="application/json", headers=auth
    )
    assert bad_json.status_code == 400
    assert "not valid JSON" in bad_json.json()["errors"][0]
    no_alerts = client.post(
        ALERTMANAGER_URL, data='{"status": "firing"}', content_type="application/json", headers=auth
    )
    assert no_alerts.status_code == 400
    assert "`alerts`" in no_alerts.json()["errors"][0]


def test_a_body_over_512_kb_is_refused_with_413(post_alerts):
    payload = sample("firing")
    payload["alerts"][0]["annotations"]["description"] = "x" * (512 * 1024)
    response = post_alerts(payload)
    assert response.status_code == 413
    assert not Alert.objects.exists()


def test_a_database_failure_answers_503_with_retry_after_so_alertmanager_retries(post_alerts):
    with mock.patch("integrations.services._insert_delivery", side_effect=OperationalError("down")):
        response = post_alerts(sample("firing"))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


def test_the_endpoint_only_answers_post(client, alertmanager):
    response = client.get(ALERTMANAGER_URL, headers={"Authorization": f"Bearer {alertmanager[1]}"})
    assert response.status_code == 405


def test_alertmanager_posts_without_a_csrf_token(alertmanager):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        ALERTMANAGER_URL,
        data=json.dumps(sample("firing")),
        content_type="application/json",
        headers={"Authorization": f"Bearer {alertmanager[1]}"},
    )
    assert response.status_code == 200


def test_alerts_alertmanager_left_out_are_mentioned_in_the_description(post_alerts):
    payload = sample("group-two-firing")
    payload["truncatedAlerts"] = 7
    post_alerts(payload)
    description = Incident.objects.get().description
    assert "left out 7 more alerts" in description
    assert "/var is 93% full on db-1." in description
