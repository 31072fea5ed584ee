"""Maintenance windows: alerts on a service under maintenance are recorded but open no
incident and tell nobody; managers schedule windows, responders only look."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident, IncidentEvent
from integrations.models import Alert, AlertGroup, MaintenanceWindow
from tests.integrations.conftest import generated, resolved, sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(checkout, manager):
    now = timezone.now()
    return MaintenanceWindow.objects.create(
        service=checkout,
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=1),
        reason="Database upgrade",
        created_by=manager,
    )


def test_alerts_during_a_window_are_recorded_but_open_no_incident_and_notify_nobody(
    post_alerts, window, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_alerts(sample("firing"))

    assert response.status_code == 200
    assert Alert.objects.get().fingerprint == "ac36b8d065d4a922"
    group = AlertGroup.objects.get()
    assert group.suppressed and group.incident is None
    assert not Incident.objects.exists()
    assert not IncidentEvent.objects.exists()
    assert mail.outbox == []


def test_a_window_on_another_service_does_not_suppress(post_alerts, window, service):
    post_alerts(generated("VpnDown", {"fingerprint": "v", "service": "vpn"}))
    assert Incident.objects.get().service == service


def test_an_alert_still_firing_after_the_window_opens_its_incident_then(post_alerts, window):
    post_alerts(sample("firing"))
    with time_machine.travel(window.ends_at + timedelta(minutes=1)):
        post_alerts(sample("firing"))  # Alertmanager's repeat_interval re-send
    incident = Incident.objects.get()
    assert AlertGroup.objects.get().incident == incident
    assert not AlertGroup.objects.get().suppressed
    assert Alert.objects.get().count == 2


def test_an_alert_that_resolved_within_the_window_leaves_no_incident(post_alerts, window):
    post_alerts(sample("firing"))
    post_alerts(resolved(sample("firing")))
    assert not Incident.objects.exists()
    assert not AlertGroup.objects.get().open


def test_a_window_does_not_hide_new_alerts_of_an_incident_already_open(post_alerts, checkout):
    post_alerts(sample("firing"))
    now = timezone.now()
    MaintenanceWindow.objects.create(
        service=checkout, starts_at=now, ends_at=now + timedelta(hours=1)
    )
    payload = sample("firing")
    payload["alerts"][0]["fingerprint"] = "second-instance"
    post_alerts(payload)
    assert Alert.objects.filter(group__incident=Incident.objects.get()).count() == 2


def test_a_manager_schedules_a_window_in_the_admin(client, manager, checkout):
    client.force_login(manager)
    response = client.post(
        reverse("admin:integrations_maintenancewindow_add"),
        {
            "service": checkout.pk,
            "starts_at_0": "2026-12-01",
            "starts_at_1": "22:00:00",
            "ends_at_0": "2026-12-02",
            "ends_at_1": "02:00:00",
            "reason": "Kernel upgrade",
        },
    )
    assert response.status_code == 302
    window = MaintenanceWindow.objects.get()
    assert window.created_by == manager
    assert window.reason == "Kernel upgrade"


def test_a_window_that_ends_before_it_starts_is_refused_with_a_message(client, manager, checkout):
    client.force_login(manager)
    response = client.post(
        reverse("admin:integrations_maintenancewindow_add"),
        {
            "service": checkout.pk,
            "starts_at_0": "2026-12-02",
            "starts_at_1": "02:00:00",
            "ends_at_0": "2026-12-01",
            "ends_at_1": "22:00:00",
        },
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert not MaintenanceWindow.objects.exists()


def test_a_responder_sees_windows_but_cannot_schedule_them(client, responder, window):
    client.force_login(responder)
    assert client.get(reverse("admin:integrations_maintenancewindow_changelist")).status_code == 200
    assert client.get(reverse("admin:integrations_maintenancewindow_add")).status_code == 403


def test_a_window_scheduled_or_ended_early_applies_to_the_next_alert_group(
    post_alerts, checkout, manager
):
    # The intake keeps the windows in the cache: each change must reach the next group.
    post_alerts(generated("First", {"fingerprint": "a", "service": "checkout"}))
    assert Incident.objects.count() == 1
    now = timezone.now()
    window = MaintenanceWindow.objects.create(
        service=checkout, starts_at=now, ends_at=now + timedelta(hours=1), created_by=manager
    )
    post_alerts(generated("Second", {"fingerprint": "b", "service": "checkout"}))
    assert AlertGroup.objects.get(title__contains="Second").suppressed
    window.ends_at = timezone.now()
    window.save()
    post_alerts(generated("Third", {"fingerprint": "c", "service": "checkout"}))
    assert Incident.objects.count() == 2
