"""On PostgreSQL with real threads: simultaneous identical deliveries open exactly one
incident, because the database refuses a second open group for the same key."""

import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from incidents.models import Incident
from integrations import services
from integrations.models import Alert, AlertGroup
from tests.fixtures.concurrency import run_together
from tests.integrations.conftest import ALERTMANAGER_URL, EVENTS_URL, sample, trigger

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_fifty_simultaneous_identical_webhooks_open_exactly_one_incident(alertmanager):
    assert connection.vendor == "postgresql"
    body, token = json.dumps(sample("firing")), alertmanager[1]

    def deliver():
        return (
            Client()
            .post(
                ALERTMANAGER_URL,
                data=body,
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            .status_code
        )

    statuses, errors = run_together(50, deliver)

    assert errors == []
    assert statuses == [200] * 50
    assert Incident.objects.count() == 1
    assert AlertGroup.objects.count() == 1
    assert Alert.objects.get().count == 50


def test_fifty_simultaneous_triggers_with_one_dedup_key_open_exactly_one_incident(
    events_integration,
):
    body, token = json.dumps(trigger("disk-db-1")), events_integration[1]

    def deliver():
        response = Client().post(
            EVENTS_URL,
            data=body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        return response.status_code, response.json()["dedup_key"]

    results, errors = run_together(50, deliver)

    assert errors == []
    assert set(results) == {(202, "disk-db-1")}
    assert Incident.objects.count() == 1
    assert Alert.objects.get().count == 50


def test_the_heartbeat_check_run_twice_at_once_opens_one_incident(make_integration):
    integration, _token = make_integration("alertmanager", heartbeat_interval_minutes=5)
    integration.created_at = integration.created_at.replace(year=2020)
    integration.save()

    _results, errors = run_together(2, services.heartbeats_check)

    assert errors == []
    assert Incident.objects.count() == 1


def deliver_firing(token: str):
    return Client().post(
        ALERTMANAGER_URL,
        data=json.dumps(sample("firing")),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.mark.deliveries_wait
def test_a_delivery_behind_a_locked_group_is_accepted_and_the_drain_retries_it_in_order(
    alertmanager, monkeypatch
):
    from django.db import transaction

    from integrations import inbox
    from integrations.models import Delivery

    monkeypatch.setattr(inbox, "kick", lambda: None)  # only this test drains
    token = alertmanager[1]
    assert deliver_firing(token).status_code == 200
    services.deliveries_drain()
    monkeypatch.setattr(services, "LOCK_TIMEOUT", "200ms")
    locked, release = threading.Event(), threading.Event()

    def hold_the_group():
        try:
            with transaction.atomic():
                list(AlertGroup.objects.select_for_update())
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_group)
    holder.start()
    try:
        assert locked.wait(10)
        response = deliver_firing(token)  # the request does not wait for the group
        assert deliver_firing(token).status_code == 200
        drained = services.deliveries_drain()
    finally:
        release.set()
        holder.join()

    assert response.status_code == 200
    assert (drained.processed, drained.stalled) == (0, 1)  # stopped at the first: order
    assert Alert.objects.get().count == 1  # nothing half-stored
    assert [d.attempts for d in Delivery.objects.waiting()] == [1, 0]
    assert services.deliveries_drain().processed == 2  # the retry succeeds
    assert Alert.objects.get().count == 3
    assert not Delivery.objects.exists()


def test_with_the_database_unreachable_the_answer_is_503_with_retry_after(alertmanager):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = closed_port
    try:
        response = deliver_firing(alertmanager[1])
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "retry" in response.json()["message"]
