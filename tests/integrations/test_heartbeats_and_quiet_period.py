"""Heartbeats (a silent integration opens an incident, the next heartbeat resolves it) and
quiet-period auto-resolve for sources that never send `resolved`."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from incidents.choices import Status
from incidents.models import Incident
from integrations import services, tasks
from integrations.models import AlertGroup
from tests.integrations.conftest import HEARTBEAT_URL, sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched(make_integration, service):
    return make_integration(
        "alertmanager", name="Prometheus", default_service=service, heartbeat_interval_minutes=10
    )


def beat(client, token):
    return client.post(HEARTBEAT_URL, headers={"Authorization": f"Bearer {token}"})


def test_a_missing_heartbeat_opens_an_incident_and_the_next_heartbeat_resolves_it(client, watched):
    integration, token = watched
    assert beat(client, token).status_code == 200
    assert services.heartbeats_check() == 0

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert tasks.check_heartbeats() == 1
        assert tasks.check_heartbeats() == 0  # already open: nothing more
        incident = Incident.objects.get()
        assert incident.title == "No heartbeat from Prometheus"
        assert incident.priority == "P2"
        assert incident.reporter == integration.service_user

        assert beat(client, token).status_code == 200

    incident.refresh_from_db()
    assert incident.status == Status.RESOLVED
    assert incident.resolution_code.code == "auto_resolved"


def test_the_heartbeat_clock_starts_when_the_integration_is_created(watched):
    with time_machine.travel(timezone.now() + timedelta(minutes=9)):
        assert services.heartbeats_check() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert services.heartbeats_check() == 1


def test_integrations_without_an_interval_or_switched_off_are_not_watched(
    make_integration, watched
):
    make_integration("events", name="No heartbeat")
    watched[0].active = False
    watched[0].save()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert services.heartbeats_check() == 0


def test_a_heartbeat_needs_a_valid_token(client, watched):
    assert beat(client, "nope").status_code == 401
    assert client.get(HEARTBEAT_URL).status_code == 405


def test_a_heartbeat_after_a_long_silence_is_recorded(client, watched):
    integration, token = watched
    beat(client, token)
    integration.heartbeat.refresh_from_db()
    assert integration.heartbeat.last_seen_at is not None


@pytest.fixture
def quiet(make_integration, service):
    return make_integration(
        "alertmanager", name="Legacy", default_service=service, quiet_period_minutes=30
    )


def post(client, token, payload):
    return client.post(
        "/api/v1/integrations/alertmanager/",
        data=json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_an_incident_whose_alerts_stayed_quiet_for_the_period_resolves_itself(client, quiet):
    post(client, quiet[1], sample("firing"))
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        post(client, quiet[1], sample("firing"))  # still firing: the clock restarts
    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        assert tasks.resolve_quiet_groups() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=51)):
        assert tasks.resolve_quiet_groups() == 1
        assert tasks.resolve_quiet_groups() == 0  # a second run finds nothing to do
    incident = Incident.objects.get()
    assert incident.status == Status.RESOLVED
    assert "30 minutes" in incident.resolution_notes
    assert AlertGroup.objects.get().alerts.get().status == "resolved"


def test_without_a_quiet_period_an_incident_stays_open(post_alerts):
    post_alerts(sample("firing"))
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert services.quiet_groups_resolve() == 0
    assert Incident.objects.get().status == Status.NEW


def test_both_checks_are_scheduled_for_beat(settings):
    from itsm.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in ("integrations.tasks.check_heartbeats", "integrations.tasks.resolve_quiet_groups"):
        assert name in scheduled
        assert name in app.tasks
