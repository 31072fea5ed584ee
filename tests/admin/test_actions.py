"""Bulk actions on the list: each incident through its service, with a message saying
which succeeded and, for every refusal, why."""

import pytest
from django.urls import reverse

from incidents import services
from incidents.choices import Channel, EventKind, Status
from incidents.models import HoldReason, Incident, ResolutionCode
from tests.admin.conftest import CHANGELIST, messages_of

pytestmark = pytest.mark.django_db


def act(client, action, incidents, follow=False, **extra):
    data = {
        "action": action,
        "_selected_action": [incident.pk for incident in incidents],
        "index": 0,
        **extra,
    }
    return client.post(reverse(CHANGELIST) + "?status=all", data, follow=follow)


def confirm(client, action, incidents, **fields):
    data = {
        "action": action,
        "_selected_action": [incident.pk for incident in incidents],
        "_confirm": "1",
        **fields,
    }
    return client.post(reverse(CHANGELIST) + "?status=all", data, follow=True)


def fresh(incident) -> Incident:
    return Incident.objects.get(pk=incident.pk)


@pytest.fixture
def client(login, responder):
    return login(responder)


@pytest.fixture
def two(make_incident):
    return make_incident(title="First"), make_incident(title="Second")


def test_acknowledge_reports_success_and_each_refusal(client, two, responder):
    done = services.incident_cancel(incident=two[1], actor=responder, via=Channel.ADMIN)
    response = act(client, "acknowledge", [two[0], done], follow=True)
    assert fresh(two[0]).status == Status.ACKNOWLEDGED
    assert fresh(done).status == Status.CANCELLED
    said = messages_of(response)
    assert f"Acknowledged: {two[0].number}." in said
    assert f"{done.number} cannot be acknowledged: it is cancelled." in said


def test_assign_to_me_takes_the_incidents(client, two, responder):
    act(client, "assign_to_me", two)
    assert {fresh(i).assignee for i in two} == {responder}
    assert fresh(two[0]).history.latest().history_change_reason == "Assigned via Admin"


def test_assign_asks_for_team_or_person_then_assigns(client, two, manager, team):
    page = act(client, "assign", two)
    assert page.status_code == 200
    assert "Assign incidents" in page.content.decode()
    assert fresh(two[0]).assignee is None
    empty = confirm(client, "assign", two)
    assert "Choose a team, a person, or both." in empty.content.decode()
    response = confirm(client, "assign", two, team=team.pk, assignee=manager.pk)
    assert {(fresh(i).team, fresh(i).assignee) for i in two} == {(team, manager)}
    assert f"Assigned: {two[0].number}, {two[1].number}." in messages_of(response)


def test_assign_form_does_not_accept_an_end_user(client, two, reporter, team):
    response = confirm(client, "assign", two[:1], team=team.pk, assignee=reporter.pk)
    # The form offers only responders, so an end user is not even a valid choice.
    assert "Select a valid choice" in response.content.decode()
    assert fresh(two[0]).assignee is None


def test_hold_asks_for_the_reason_and_refuses_new_incidents(client, two, responder):
    acknowledged = services.incident_acknowledge(
        incident=two[0], actor=responder, via=Channel.ADMIN
    )
    assert "Put incidents on hold" in act(client, "hold", two).content.decode()
    reason = HoldReason.objects.get(code="awaiting_vendor")
    response = confirm(client, "hold", two, reason=reason.pk)
    assert fresh(acknowledged).status == Status.ON_HOLD
    assert fresh(acknowledged).hold_reason == reason
    assert fresh(two[1]).status == Status.NEW
    said = messages_of(response)
    assert f"Put on hold: {acknowledged.number}." in said
    assert f"{two[1].number} cannot be put on hold: it is new." in said


def test_resolve_asks_for_code_and_notes_and_keeps_what_was_typed(client, two):
    page = act(client, "resolve", two).content.decode()
    assert "Resolve incidents" in page and "resolution_code" in page and "resolution_notes" in page
    code = ResolutionCode.objects.get(code="fixed")
    missing_notes = confirm(client, "resolve", two, resolution_code=code.pk)
    assert "This field is required." in missing_notes.content.decode()
    assert all(fresh(i).status == Status.NEW for i in two)
    response = confirm(
        client, "resolve", two, resolution_code=code.pk, resolution_notes="Rebooted the VPN."
    )
    assert all(fresh(i).status == Status.RESOLVED for i in two)
    assert fresh(two[1]).resolution_notes == "Rebooted the VPN."
    assert fresh(two[1]).resolution_code == code
    assert f"Resolved: {two[0].number}, {two[1].number}." in messages_of(response)


def test_close_closes_resolved_incidents_and_refuses_open_ones(client, two, responder):
    resolved = services.incident_resolve(
        incident=two[0],
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Done.",
    )
    response = act(client, "close", [resolved, two[1]], follow=True)
    assert fresh(resolved).status == Status.CLOSED
    assert fresh(two[1]).status == Status.NEW
    assert f"{two[1].number} cannot be closed: it is new." in messages_of(response)


def test_mark_major_declares_major_incidents(client, two):
    act(client, "declare_major", two[:1])
    assert fresh(two[0]).major
    assert fresh(two[0]).events.filter(kind=EventKind.MAJOR_DECLARED).count() == 1


def test_manager_merges_duplicates_into_the_chosen_primary(login, manager, two, make_incident):
    third = make_incident(title="Third")
    client = login(manager)
    page = act(client, "merge", [*two, third]).content.decode()
    assert "Merge incidents" in page and two[1].number in page
    response = confirm(client, "merge", [*two, third], primary=two[1].pk)
    assert fresh(two[1]).status == Status.NEW
    for duplicate in (two[0], third):
        assert fresh(duplicate).status == Status.CLOSED
        assert fresh(duplicate).duplicate_of == two[1]
    assert f"Merged {two[0].number}, {third.number} into {two[1].number}." in messages_of(response)


def test_merging_a_single_incident_is_refused_with_a_reason(login, manager, two):
    response = act(login(manager), "merge", two[:1], follow=True)
    assert "Select at least two incidents to merge." in messages_of(response)


def test_a_responder_cannot_run_the_merge_action(client, two):
    confirm(client, "merge", two, primary=two[0].pk)
    assert fresh(two[1]).status == Status.NEW
