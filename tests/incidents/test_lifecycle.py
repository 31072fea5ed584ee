from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from incidents import services
from incidents.choices import TRANSITIONS, Channel, Status
from incidents.exceptions import DomainError, InvalidTransition, StaleVersion
from incidents.models import Incident

pytestmark = pytest.mark.django_db

RESOLVE = {"resolution_code": "fixed", "resolution_notes": "Restarted the gateway."}


def move_to(incident, status, actor):
    """Drive an incident to `status` along the normal path, through the services."""
    steps = {
        Status.NEW: [],
        Status.ACKNOWLEDGED: [services.incident_acknowledge],
        Status.IN_PROGRESS: [services.incident_start],
        Status.ON_HOLD: [
            services.incident_start,
            lambda **kw: services.incident_hold(reason="awaiting_vendor", **kw),
        ],
        Status.RESOLVED: [lambda **kw: services.incident_resolve(**RESOLVE, **kw)],
        Status.CLOSED: [
            lambda **kw: services.incident_resolve(**RESOLVE, **kw),
            services.incident_close,
        ],
        Status.CANCELLED: [services.incident_cancel],
    }[status]
    for step in steps:
        incident = step(incident=incident, actor=actor, via=Channel.ADMIN)
    incident.refresh_from_db()
    assert incident.status == status
    return incident


ACTIONS = {
    Status.ACKNOWLEDGED: services.incident_acknowledge,
    Status.IN_PROGRESS: services.incident_start,
    Status.ON_HOLD: lambda **kw: services.incident_hold(reason="awaiting_user", **kw),
    Status.RESOLVED: lambda **kw: services.incident_resolve(**RESOLVE, **kw),
    Status.CLOSED: services.incident_close,
    Status.CANCELLED: services.incident_cancel,
}


@pytest.mark.parametrize("source", list(Status))
@pytest.mark.parametrize("target", list(ACTIONS))
def test_every_transition_is_allowed_exactly_when_the_workflow_says(
    source, target, make_incident, responder
):
    incident = move_to(make_incident(), source, responder)
    allowed = target in TRANSITIONS[source]
    if source == Status.ON_HOLD and target == Status.IN_PROGRESS:
        allowed = False  # from hold the way back is "resume", tested separately
    if allowed:
        ACTIONS[target](incident=incident, actor=responder, via=Channel.ADMIN)
        incident.refresh_from_db()
        assert incident.status == target
    else:
        with pytest.raises(InvalidTransition) as error:
            ACTIONS[target](incident=incident, actor=responder, via=Channel.ADMIN)
        assert incident.number in error.value.message
        incident.refresh_from_db()
        assert incident.status == source


def test_new_incident_gets_number_priority_team_and_sla_clocks(make_incident, service, team):
    incident = make_incident(service=service, impact="high", urgency="medium")
    assert incident.number.startswith("INC") and len(incident.number) == 10
    assert incident.priority == "P2"
    assert incident.team == team
    assert incident.response_due - incident.opened_at == timedelta(minutes=30)
    assert incident.resolution_due - incident.opened_at == timedelta(hours=8)


def test_numbers_are_sequential_and_unique(make_incident):
    numbers = [make_incident().number for _ in range(3)]
    assert numbers == sorted(set(numbers))
    assert int(numbers[1][3:]) == int(numbers[0][3:]) + 1


def test_resume_returns_held_incident_to_progress(make_incident, responder):
    incident = move_to(make_incident(), Status.ON_HOLD, responder)
    services.incident_resume(incident=incident, actor=responder, via=Channel.ADMIN)
    incident.refresh_from_db()
    assert incident.status == Status.IN_PROGRESS and incident.hold_reason is None


def test_resume_refuses_incident_that_is_not_on_hold(make_incident, responder):
    with pytest.raises(InvalidTransition):
        services.incident_resume(incident=make_incident(), actor=responder, via=Channel.ADMIN)


def test_resolve_requires_code_and_notes(make_incident, responder):
    incident = make_incident()
    with pytest.raises(DomainError) as error:
        services.incident_resolve(
            incident=incident,
            actor=responder,
            via=Channel.ADMIN,
            resolution_code="",
            resolution_notes="x",
        )
    assert error.value.field == "resolution_code"
    with pytest.raises(DomainError) as error:
        services.incident_resolve(
            incident=incident,
            actor=responder,
            via=Channel.ADMIN,
            resolution_code="fixed",
            resolution_notes="  ",
        )
    assert error.value.field == "resolution_notes"
    incident.refresh_from_db()
    assert incident.status == Status.NEW


def test_reopen_within_window_then_refused_after_it(make_incident, reporter, responder):
    incident = move_to(make_incident(), Status.RESOLVED, responder)
    services.incident_reopen(incident=incident, actor=reporter, via=Channel.PORTAL)
    incident.refresh_from_db()
    assert incident.status == Status.IN_PROGRESS and incident.resolved_at is None
    services.incident_resolve(incident=incident, actor=responder, via=Channel.ADMIN, **RESOLVE)
    later = time_machine.travel(timezone.now() + timedelta(days=8))
    with later, pytest.raises(InvalidTransition) as error:
        services.incident_reopen(incident=incident, actor=reporter, via=Channel.PORTAL)
    assert "can no longer be reopened" in error.value.message


def test_stale_version_is_rejected_and_nothing_is_overwritten(make_incident, responder, manager):
    incident = make_incident()
    read_version = incident.version
    services.incident_update(
        incident=incident,
        actor=manager,
        via=Channel.ADMIN,
        expected_version=read_version,
        title="VPN down for everyone",
    )
    with pytest.raises(StaleVersion):
        services.incident_update(
            incident=incident,
            actor=responder,
            via=Channel.ADMIN,
            expected_version=read_version,
            title="VPN flaky",
        )
    incident.refresh_from_db()
    assert incident.title == "VPN down for everyone"
    assert incident.version == read_version + 1


def test_history_records_acting_user_and_channel_in_reason(make_incident, responder):
    incident = make_incident()
    services.incident_acknowledge(incident=incident, actor=responder, via=Channel.API)
    latest = Incident.history.filter(id=incident.pk).latest("history_date")
    assert latest.history_user == responder
    assert latest.history_change_reason == "Acknowledged via API"
    first = Incident.history.filter(id=incident.pk).earliest("history_date")
    assert first.history_user == incident.reporter
    assert first.history_change_reason == "Created via Portal"


def test_auto_close_closes_only_incidents_resolved_long_enough_ago(make_incident, responder):
    old = move_to(make_incident(), Status.RESOLVED, responder)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        recent = move_to(make_incident(), Status.RESOLVED, responder)
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        assert services.auto_close_resolved() == 1
        assert services.auto_close_resolved() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Status.CLOSED
    assert recent.status == Status.RESOLVED
    last = Incident.history.filter(id=old.pk).latest("history_date")
    assert last.history_user.username == "system"
    assert last.history_change_reason == "Closed via System"
