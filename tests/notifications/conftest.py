"""Notification fixtures: a team with its own lead and mailbox, and a way to run what a
transaction publishes on commit (event dispatch, then the send tasks) inline."""

import pytest
from django.core import mail

from incidents.roles import MANAGERS, RESPONDERS


@pytest.fixture
def lead(make_user):
    return make_user("lena", group=RESPONDERS, staff=True)


@pytest.fixture
def ops_team(db, responder, lead):
    from incidents.models import Team

    team = Team.objects.create(name="Operations", slug="ops", email="ops@example.com", lead=lead)
    team.members.add(responder, lead)
    return team


@pytest.fixture
def vpn(db, ops_team):
    from incidents.models import Service

    return Service.objects.create(name="VPN", slug="vpn", owner_team=ops_team)


@pytest.fixture
def duty_manager(make_user):
    return make_user("mira", group=MANAGERS, staff=True)


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """`with deliver(): services.incident_x(...)` runs the on-commit work inline: the event
    is dispatched, notification rows are created and sent (tasks run eagerly)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def subjects_to(address: str) -> list[str]:
    return [message.subject for message in sent_to(address)]


@pytest.fixture
def pending(make_incident, vpn, django_capture_on_commit_callbacks):
    """Rows for a new incident (reporter and team mailbox), created but not sent."""
    from incidents.models import IncidentEvent
    from notifications.services import notifications_create

    incident = make_incident(service=vpn)
    event = IncidentEvent.objects.get(incident=incident)
    ids = notifications_create(event=event)
    assert len(ids) == 2
    return ids
