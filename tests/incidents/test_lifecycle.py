from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from incidents import services, workflow
from incidents.choices import Channel, Status
from incidents.exceptions import DomainError, InvalidTransition, StaleVersion
from incidents.models import Incident
from tests.fixtures.workflow import RESOLVE, STEP_SERVICES, move_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("source", list(Status))
@pytest.mark.parametrize("step", list(STEP_SERVICES))
def test_every_step_is_allowed_exactly_from_the_statuses_of_its_workflow_row(
    source, step, make_incident, responder
):
    incident = move_to(make_incident(), source, responder)
    action = workflow.ACTIONS[step]
    if source in action.sources:
        STEP_SERVICES[step](incident=incident, actor=responder, via=Channel.ADMIN)
        incident.refresh_from_db()
        assert incident.status == action.target
    else:
        with pytest.raises(InvalidTransition) as error:
            STEP_SERVICES[step](incident=incident, actor=responder, via=Channel.ADMIN)
        status = incident.get_status_display().lower()
        assert error.value.message.startswith(
            f"{incident.number} cannot be {action.done}: it is {status}."
        )
        incident.refresh_from_db()
        assert incident.status == source


def test_start_from_hold_and_reopen_after_closing_say_what_to_do_instead(make_incident, responder):
    held = move_to(make_incident(), Status.ON_HOLD, responder)
    with pytest.raises(InvalidTransition) as error:
        services.incident_start(incident=held, actor=responder, via=Channel.ADMIN)
    assert (
        error.value.message == f"{held.number} cannot be started: it is on hold. Resume it instead."
    )
    closed = move_to(make_incident(), Status.CLOSED, responder)
    with pytest.raises(InvalidTransition) as error:
        services.incident_reopen(incident=closed, actor=responder, via=Channel.PORTAL)
    assert "Report a new problem instead." in error.value.message


@pytest.mark.parametrize("source", [Status.RESOLVED, Status.CLOSED, Status.CANCELLED])
def test_assigning_declaring_major_and_merging_are_refused_once_an_incident_is_not_open(
    source, make_incident, responder
):
    done, other = move_to(make_incident(), source, responder), make_incident()
    calls = {
        "assigned": lambda: services.incident_assign(
            incident=done, actor=responder, via=Channel.ADMIN, assignee=responder
        ),
        "declared major": lambda: services.incident_declare_major(
            incident=done, actor=responder, via=Channel.ADMIN
        ),
        "merged": lambda: services.incident_merge(
            primary=other, duplicates=[done], actor=responder, via=Channel.ADMIN
        ),
        "merged into": lambda: services.incident_merge(
            primary=done, duplicates=[other], actor=responder, via=Channel.ADMIN
        ),
    }
    for done_word, call in calls.items():
        with pytest.raises(InvalidTransition) as error:
            call()
        assert f"{done.number} cannot be {done_word}: it is" in error.value.message
    done.refresh_from_db()
    other.refresh_from_db()
    assert (done.status, done.major, done.assignee, other.status) == (
        source,
        False,
        None,
        Status.NEW,
    )


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
