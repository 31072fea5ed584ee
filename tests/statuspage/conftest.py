"""Status page fixtures: incidents placed at chosen times, public maintenance, subscribers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from incidents import services
from incidents.choices import Channel, Status
from incidents.models import Incident

UTC = ZoneInfo("UTC")


def at(text: str) -> datetime:
    """`at("11-02 01:30")`: a moment of November 2026 in UTC (the page's zone in tests)."""
    return datetime.strptime(f"2026-{text}", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


@pytest.fixture
def place(make_incident, service):
    """An incident on `service` with its priority and interval set as given (the services
    would stamp the current time)."""

    def make(start, end=None, *, priority="P3", major=False, **fields):
        incident = make_incident(service=fields.pop("on", service), **fields)
        status = Status.RESOLVED if end else Status.IN_PROGRESS
        Incident.objects.filter(pk=incident.pk).update(
            opened_at=start, resolved_at=end, status=status, priority=priority, major=major
        )
        incident.refresh_from_db()
        return incident

    return make


@pytest.fixture
def resolve(responder):
    def resolve(incident):
        return services.incident_resolve(
            incident=incident,
            actor=responder,
            via=Channel.ADMIN,
            resolution_code="fixed",
            resolution_notes="Restarted the gateway.",
        )

    return resolve


@pytest.fixture
def publish(responder):
    """A public update from the service desk."""

    def publish(incident, body):
        return services.incident_comment(
            incident=incident, author=responder, body=body, public=True, via=Channel.ADMIN
        )

    return publish


@pytest.fixture
def make_window(db, service, manager):
    from integrations.models import MaintenanceWindow
    from integrations.services import maintenance_window_save

    def make(starts_at, ends_at, *, public=True, title="Router firmware upgrade", **fields):
        window = MaintenanceWindow(
            service=fields.pop("on", service),
            starts_at=starts_at,
            ends_at=ends_at,
            public=public,
            title=title,
            description=fields.pop("description", "The VPN may drop for a minute."),
            reason="internal: change CHG-42",
        )
        return maintenance_window_save(window=window, actor=manager)

    return make


@pytest.fixture
def subscriber(db, service):
    from django.utils import timezone

    from statuspage.models import Subscriber

    def make(email="sam@example.org", *, services=(), confirmed=True):
        person = Subscriber.objects.create(
            email=email,
            all_services=not services,
            confirmed_at=timezone.now() if confirmed else None,
        )
        person.services.set(services)
        return person

    return make
