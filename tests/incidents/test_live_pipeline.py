"""End to end on PostgreSQL and Redis: numbering under concurrency, and the event outbox
handed to a real Celery worker after commit."""

import time

import pytest
from django.db import connection

from incidents import services
from incidents.choices import Channel, EventKind
from incidents.models import Incident, IncidentEvent
from tests.fixtures.concurrency import run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_creations_get_twenty_distinct_numbers(reporter):
    assert connection.vendor == "postgresql"

    def create():
        return services.incident_create(title="Storm", reporter=reporter, via=Channel.API).number

    numbers, errors = run_together(20, create)
    assert errors == []
    assert len(set(numbers)) == 20
    assert Incident.objects.count() == 20


def test_events_recorded_by_a_service_are_dispatched_by_a_real_worker(celery_worker, reporter):
    incident = services.incident_create(title="Mail down", reporter=reporter, via=Channel.PORTAL)
    event = IncidentEvent.objects.get(incident=incident, kind=EventKind.CREATED)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        event.refresh_from_db()
        if event.dispatched_at:
            break
        time.sleep(0.1)
    assert event.dispatched_at is not None


@pytest.fixture
def shared_cache(settings):
    """The production cache (Redis), which every process shares: the outbox is drained in
    batches, one drain task per burst of commits."""
    from django.core.cache import caches

    broker = settings.CELERY_BROKER_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": broker.rsplit("/", 1)[0] + "/15",
        }
    }
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_a_burst_of_reports_is_drained_in_batches_and_everyone_is_told_once(
    shared_cache, celery_worker, smtp_server, make_user, service
):
    from celery.signals import task_prerun

    from notifications.models import DeliveryStatus, Notification

    people = [make_user(f"burst{n}") for n in range(30)]
    ran = []

    def count(sender=None, **kwargs):
        ran.append(sender.name)

    task_prerun.connect(count, weak=False)
    try:
        for person in people:
            services.incident_create(
                title="Printer jammed", reporter=person, via=Channel.PORTAL, service=service
            )
        messages = smtp_server.wait_for(60, timeout=30)  # each reporter and the team
    finally:
        task_prerun.disconnect(count)
    assert sorted(
        m["envelope_to"][0] for m in messages if "burst" in m["envelope_to"][0]
    ) == sorted(p.email for p in people)
    assert len(messages) == 60
    assert not IncidentEvent.objects.filter(dispatched_at__isnull=True).exists()
    # The server has every message; the worker records the last one as sent right after.
    deadline = time.monotonic() + 10
    while Notification.objects.exclude(status=DeliveryStatus.SENT).exists():
        assert time.monotonic() < deadline, "notifications still not recorded as sent"
        time.sleep(0.05)
    drains = ran.count("incidents.tasks.dispatch_outbox")
    assert 1 <= drains < len(people)  # batches, not one task per incident
    assert "incidents.tasks.dispatch_event" not in ran


def test_commits_within_the_drain_delay_are_dispatched_in_one_batch(
    shared_cache, celery_worker, reporter, service
):
    first = services.incident_create(
        title="Wi-Fi down", reporter=reporter, via=Channel.PORTAL, service=service
    )
    time.sleep(0.05)  # a quarter of the drain delay: the first drain has not started yet
    second = services.incident_create(
        title="Wi-Fi slow", reporter=reporter, via=Channel.PORTAL, service=service
    )
    events = IncidentEvent.objects.filter(incident__in=[first, second], kind=EventKind.CREATED)
    deadline = time.monotonic() + 20
    while events.filter(dispatched_at__isnull=True).exists():
        assert time.monotonic() < deadline, "events still in the outbox"
        time.sleep(0.05)
    # One batch marks its events with one UPDATE, so with one time.
    assert len({event.dispatched_at for event in events}) == 1
