"""End to end on PostgreSQL and Redis: numbering under concurrency, and the event outbox
handed to a real Celery worker after commit."""

import time

import pytest
from django.db import connection

from incidents import services
from incidents.choices import Channel
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
    event = IncidentEvent.objects.get(incident=incident)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        event.refresh_from_db()
        if event.dispatched_at:
            break
        time.sleep(0.1)
    assert event.dispatched_at is not None
