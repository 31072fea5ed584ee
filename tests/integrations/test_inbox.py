"""The delivery inbox: the endpoints accept and queue, one drainer applies the deliveries in
the order they arrived, a failure is kept for managers, a broker outage only delays."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import DataError, OperationalError, connection
from django.utils import timezone

from incidents.choices import Status
from incidents.models import Incident
from integrations import inbox, services, tasks
from integrations.models import Alert, Delivery, Integration
from tests.integrations.conftest import generated, resolved, sample, trigger

pytestmark = [pytest.mark.django_db, pytest.mark.deliveries_wait]


def test_alertmanager_is_answered_200_with_its_groups_before_any_incident_exists(
    post_alerts, alertmanager
):
    response = post_alerts(sample("group-two-firing"))

    assert response.status_code == 200
    assert response.json() == {"status": "success", "groups": 1, "alerts": 2}
    delivery = Delivery.objects.get()
    assert (delivery.integration, delivery.kind) == (alertmanager[0], "alertmanager")
    assert delivery.payload == sample("group-two-firing")
    assert delivery.processed_at is None and not delivery.failed
    assert not Incident.objects.exists() and not Alert.objects.exists()


def test_an_event_is_answered_202_accepted_with_the_dedup_key_the_drain_will_use(post_event):
    response = post_event(trigger(severity="critical"))

    assert response.status_code == 202
    body = response.json()
    assert body == {"status": "success", "message": "Event accepted", "dedup_key": mock.ANY}
    assert Delivery.objects.get().payload["dedup_key"] == body["dedup_key"]
    assert not Incident.objects.exists()
    services.deliveries_drain()
    assert Alert.objects.get().fingerprint == body["dedup_key"]
    assert Incident.objects.get().priority == "P1"
    assert not Delivery.objects.exists()  # processed deliveries are deleted


def test_a_firing_then_a_resolved_delivery_are_applied_in_that_order(post_alerts):
    firing = generated("DiskFull", {"fingerprint": "d1", "instance": "db1"})
    post_alerts(firing)
    post_alerts(resolved(firing))

    assert services.deliveries_drain().processed == 2

    incident = Incident.objects.get()
    assert incident.status == Status.RESOLVED
    assert Alert.objects.get().status == "resolved"


def test_an_event_the_domain_refuses_is_marked_failed_and_counted_as_refused(
    post_event, events_integration, monkeypatch
):
    def refuse(**kwargs):
        raise DataError("value too long for type character varying(200)")

    post_event(trigger("disk-db-1"))
    monkeypatch.setattr(services, "event_intake", refuse)

    drained = services.deliveries_drain()

    assert (drained.processed, drained.failed) == (0, 1)
    delivery = Delivery.objects.get()
    assert delivery.failed and delivery.processed_at is not None
    assert "cannot be stored" in delivery.last_error and "too long" in delivery.last_error
    integration = Integration.objects.get(pk=events_integration[0].pk)
    assert integration.refused_count == 1
    assert integration.last_refused_reason == delivery.last_error
    assert services.deliveries_drain().processed == 0  # a failed delivery is not retried


def test_a_failing_delivery_is_retried_in_order_and_given_up_after_a_few_attempts(
    post_event, monkeypatch
):
    post_event(trigger("first"))
    post_event(trigger("second"))
    apply = services.event_intake

    def flaky(*, event, **kwargs):
        if event.dedup_key == "first":
            raise OperationalError("server closed the connection unexpectedly")
        return apply(event=event, **kwargs)

    monkeypatch.setattr(services, "event_intake", flaky)

    for attempt in range(1, services.MAX_ATTEMPTS):
        drained = services.deliveries_drain()
        assert (drained.processed, drained.stalled) == (0, attempt)  # "second" waits
    drained = services.deliveries_drain()

    assert (drained.processed, drained.failed, drained.stalled) == (1, 1, 0)
    failed = Delivery.objects.get()
    assert failed.failed and failed.attempts == services.MAX_ATTEMPTS
    assert "Gave up after 5 attempts" in failed.last_error
    assert Alert.objects.get().fingerprint == "second"


def test_the_commit_kicks_one_inline_drain_so_the_embedded_default_behaves_as_before(
    post_alerts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_alerts(sample("firing")).status_code == 200

    assert Incident.objects.get().title == "Checkout API 5xx rate above 5%"
    assert not Delivery.objects.exists()


def test_with_the_broker_down_the_delivery_waits_and_the_sweep_drains_it(
    post_alerts, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError as BrokerDown

    down = mock.patch.object(tasks.drain_deliveries, "delay", side_effect=BrokerDown("down"))
    with down, django_capture_on_commit_callbacks(execute=True):
        response = post_alerts(sample("firing"))

    assert response.status_code == 200
    assert Delivery.objects.waiting().count() == 1 and not Incident.objects.exists()
    assert tasks.sweep_deliveries() is False  # only seconds old: a kick may be on its way
    Delivery.objects.update(received_at=timezone.now() - timedelta(minutes=1))
    assert tasks.sweep_deliveries() is True  # the broker is back: the drain runs
    assert Incident.objects.count() == 1
    assert not Delivery.objects.exists()


def test_with_a_shared_cache_a_burst_of_deliveries_publishes_one_drain(monkeypatch):
    published = []
    monkeypatch.setattr(inbox, "shared_cache", lambda: True)
    monkeypatch.setattr(tasks.drain_deliveries, "delay", lambda: published.append(1))

    for _ in range(3):
        inbox.kick()
    assert published == [1]
    inbox.forget_drain_flag()  # what the drain does before it reads
    inbox.kick()
    assert published == [1, 1]


@pytest.fixture
def worker_and_shared_cache(monkeypatch):
    """Production's shape: a shared cache and a real worker (tasks are published, not run
    inline). Returns the drains published: None for a kick, a countdown for a trailing one."""
    published, conf = [], tasks.drain_deliveries.app.conf
    monkeypatch.setattr(inbox, "shared_cache", lambda: True)
    monkeypatch.setattr(tasks.drain_deliveries, "delay", lambda: published.append(None))
    monkeypatch.setattr(
        tasks.drain_deliveries,
        "apply_async",
        lambda countdown=None: published.append(countdown),
    )
    monkeypatch.setattr(inbox, "_last_kick", -inbox.KICK_INTERVAL)
    eager, conf.task_always_eager = conf.task_always_eager, False
    yield published
    conf.task_always_eager = eager


def test_a_web_process_kicks_at_most_once_per_interval(worker_and_shared_cache, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(inbox.time, "monotonic", lambda: clock[0])

    inbox.kick()
    inbox.forget_drain_flag()  # the drain started: a kick would publish again...
    clock[0] += inbox.KICK_INTERVAL / 2
    inbox.kick()  # ...but this process kicked moments ago: no round trip, nothing published
    assert worker_and_shared_cache == [None]

    clock[0] += inbox.KICK_INTERVAL
    inbox.kick()
    assert worker_and_shared_cache == [None, None]


def test_a_drain_that_applied_something_runs_once_more_after_the_kick_interval(
    worker_and_shared_cache, monkeypatch
):
    results = iter([services.Drained(processed=3), services.Drained(failed=1), services.Drained()])
    monkeypatch.setattr(services, "deliveries_drain", lambda: next(results))

    tasks.drain_deliveries()
    tasks.drain_deliveries()
    assert worker_and_shared_cache == [inbox.TRAILING_SECONDS, inbox.TRAILING_SECONDS]
    tasks.drain_deliveries()  # found nothing: the chain ends
    assert len(worker_and_shared_cache) == 2
    assert inbox.TRAILING_SECONDS > inbox.KICK_INTERVAL


def test_a_delivery_whose_kick_was_skipped_is_applied_by_the_trailing_drain(
    worker_and_shared_cache, post_alerts, django_capture_on_commit_callbacks
):
    firing = generated("DiskFull", {"fingerprint": "d1", "instance": "db1"})
    with django_capture_on_commit_callbacks(execute=True):
        post_alerts(firing)
    assert worker_and_shared_cache == [None]
    tasks.drain_deliveries()  # the kicked drain: applies the first, then trails
    assert worker_and_shared_cache == [None, inbox.TRAILING_SECONDS]

    second = generated("CPUHot", {"fingerprint": "c1", "instance": "db1"})
    with django_capture_on_commit_callbacks(execute=True):
        post_alerts(second)  # committed after that drain read: its kick is skipped
    assert worker_and_shared_cache == [None, inbox.TRAILING_SECONDS]
    assert Delivery.objects.waiting().count() == 1

    tasks.drain_deliveries()  # the trailing drain, a moment later
    assert not Delivery.objects.exists()
    assert Incident.objects.count() == 2


def test_a_drainer_that_finds_the_inbox_held_tries_again_shortly(monkeypatch):
    scheduled = []
    monkeypatch.setattr(services, "deliveries_drain", lambda: services.Drained(busy=True))
    monkeypatch.setattr(inbox, "schedule_drain", lambda countdown=None: scheduled.append(countdown))

    tasks.drain_deliveries()

    assert scheduled == [tasks.BUSY_COUNTDOWN]


def test_the_drain_clears_the_scheduled_flag_before_it_reads(monkeypatch):
    from django.core.cache import cache

    cache.set(inbox.DRAIN_SCHEDULED, 1)
    seen = []
    monkeypatch.setattr(
        services,
        "deliveries_drain",
        lambda: seen.append(cache.get(inbox.DRAIN_SCHEDULED)) or services.Drained(),
    )
    tasks.drain_deliveries()
    assert seen == [None]


def test_a_rotated_token_is_refused_at_the_next_request(post_alerts, alertmanager):
    assert post_alerts(sample("firing")).status_code == 200  # now cached
    integration = Integration.objects.get(pk=alertmanager[0].pk)  # as the admin reads it

    new_token = services.integration_rotate_token(integration=integration)

    assert post_alerts(sample("firing")).status_code == 401
    assert post_alerts(sample("firing"), token=new_token).status_code == 200


def test_a_switched_off_integration_is_refused_at_the_next_request(post_alerts, alertmanager):
    assert post_alerts(sample("firing")).status_code == 200
    integration = Integration.objects.get(pk=alertmanager[0].pk)
    integration.active = False
    integration.save()

    response = post_alerts(sample("firing"))

    assert response.status_code == 403 and "switched off" in response.json()["message"]


def test_an_integration_is_kept_in_the_web_process_for_a_moment(
    post_alerts, alertmanager, monkeypatch
):
    from django.core.cache import cache

    from integrations import selectors

    clock = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: clock[0])
    assert post_alerts(sample("firing")).status_code == 200
    reads = []
    read = cache.get
    monkeypatch.setattr(cache, "get", lambda *a, **k: reads.append(a[0]) or read(*a, **k))

    # Switched off by another process: this one does not see the signal, only the cache.
    Integration.objects.filter(pk=alertmanager[0].pk).update(active=False)
    cache.clear()
    assert post_alerts(sample("firing")).status_code == 200
    assert reads == []  # answered from the process's own copy

    clock[0] += selectors.LOCAL_SECONDS
    response = post_alerts(sample("firing"))
    assert response.status_code == 403 and "switched off" in response.json()["message"]


def test_an_integration_kept_in_the_process_is_a_copy_per_request(alertmanager):
    from integrations.selectors import integration_for_token

    first = integration_for_token(alertmanager[1])
    first.name = "Changed by one request"

    assert integration_for_token(alertmanager[1]).name == "Prometheus"


def test_a_deleted_integration_is_refused_at_the_next_request(post_alerts, alertmanager):
    assert post_alerts(sample("firing")).status_code == 200
    Integration.objects.filter(pk=alertmanager[0].pk).get().delete()

    assert post_alerts(sample("firing")).status_code == 401


def test_managers_see_waiting_and_failed_deliveries_on_the_integration(
    client, manager, post_event, events_integration, monkeypatch
):
    post_event(trigger("refused"))
    with mock.patch.object(services, "event_intake", side_effect=DataError("out of range")):
        services.deliveries_drain()
    post_event(trigger("waiting"))
    client.force_login(manager)

    listing = client.get("/admin/integrations/integration/").content.decode()
    page = client.get(
        f"/admin/integrations/integration/{events_integration[0].pk}/change/"
    ).content.decode()

    assert "Waiting" in listing and "Failed" in listing
    assert "Oldest waiting for" in page and "out of range" in page


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_second_drainer_cannot_get_the_inbox_while_one_drains(post_alerts, monkeypatch):
    monkeypatch.setattr(inbox, "kick", lambda: None)  # only this test drains
    post_alerts(generated("DiskFull", {"fingerprint": "d1"}))
    holding, release = threading.Event(), threading.Event()

    def first_drainer():
        from django.db import connections

        try:
            with inbox.drain_lock() as held:
                assert held
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_drainer)
    thread.start()
    try:
        assert holding.wait(10)
        second = services.deliveries_drain()
    finally:
        release.set()
        thread.join()

    assert connection.vendor == "postgresql"
    assert second.busy and second.processed == 0
    assert Delivery.objects.waiting().count() == 1  # nothing applied out of turn
    assert services.deliveries_drain().processed == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_turns_a_real_alertmanager_delivery_into_an_incident(
    celery_worker, post_alerts
):
    import time

    response = post_alerts(sample("firing"))
    assert response.status_code == 200

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not Incident.objects.exists():
        time.sleep(0.1)
    incident = Incident.objects.get()
    assert incident.title == "Checkout API 5xx rate above 5%"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and Delivery.objects.exists():
        time.sleep(0.1)
    assert not Delivery.objects.exists()
