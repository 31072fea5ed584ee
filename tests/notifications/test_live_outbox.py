"""End to end: incidents saved while the broker is unreachable are notified once it is back,
through the event outbox sweep."""

import time

import pytest

from incidents.models import Incident, IncidentEvent
from incidents.tasks import sweep_event_outbox
from itsm.celery import app
from tests.notifications.live import dead_broker, restore_catalogue, subjects, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_notifications_of_incidents_saved_during_a_broker_outage_go_out_after_it(
    celery_worker, smtp_server, make_incident, make_user, vpn
):
    restore_catalogue()
    reporters = [make_user(f"user{index}") for index in range(3)]
    with dead_broker(app):
        started = time.monotonic()
        numbers = [make_incident(service=vpn, reporter=person).number for person in reporters]
        assert time.monotonic() - started < 10  # a dead broker never hangs a request
        time.sleep(1)
    assert Incident.objects.count() == 3
    assert IncidentEvent.objects.filter(dispatched_at__isnull=True).count() == 3
    assert smtp_server.messages == []

    sweep_event_outbox.delay(older_than_seconds=0)  # what beat does every minute

    smtp_server.wait_for(6)
    for person, number in zip(reporters, numbers, strict=True):
        assert subjects(smtp_server, person.email) == [f"[{number}] Received: VPN down"]
    assert len(smtp_server.to("ops@example.com")) == 3
    assert wait_until(lambda: not IncidentEvent.objects.filter(dispatched_at=None).exists())
    time.sleep(1)
    assert len(smtp_server.messages) == 6
