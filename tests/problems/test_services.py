"""Problem records: numbering, known errors, linking incidents, history."""

import pytest

from incidents.exceptions import DomainError
from problems import services
from problems.choices import ProblemStatus

pytestmark = pytest.mark.django_db


def test_problems_are_numbered_in_sequence(responder):
    first = services.problem_create(title="VPN drops", actor=responder)
    second = services.problem_create(title="Printer jams", actor=responder)
    assert (first.number, second.number) == ("PRB0001001", "PRB0001002")


def test_a_problem_needs_a_title(responder):
    with pytest.raises(DomainError) as error:
        services.problem_create(title="  ", actor=responder)
    assert error.value.field == "title"


def test_a_known_error_must_say_its_cause_or_workaround(responder):
    problem = services.problem_create(title="VPN drops", actor=responder)
    with pytest.raises(DomainError, match="root cause or a workaround"):
        services.problem_update(problem=problem, actor=responder, known_error=True)
    updated = services.problem_update(
        problem=problem, actor=responder, known_error=True, workaround="Reconnect via port 443."
    )
    assert updated.known_error


def test_linking_twice_reports_the_incidents_already_linked(make_incident, responder):
    problem = services.problem_create(title="VPN drops", actor=responder)
    first, second = make_incident(title="A"), make_incident(title="B")
    assert services.problem_link_incidents(problem=problem, incidents=[first], actor=responder) == (
        [first.number],
        [],
    )
    linked, already = services.problem_link_incidents(
        problem=problem, incidents=[first, second], actor=responder
    )
    assert (linked, already) == ([second.number], [first.number])
    assert problem.links.count() == 2


def test_a_closed_problem_takes_no_more_incidents(make_incident, responder):
    problem = services.problem_create(title="Old", actor=responder, status=ProblemStatus.CLOSED)
    with pytest.raises(DomainError, match="closed"):
        services.problem_link_incidents(
            problem=problem, incidents=[make_incident()], actor=responder
        )


def test_unlinking_removes_only_that_incident_and_is_recorded(make_incident, responder):
    first, second = make_incident(title="A"), make_incident(title="B")
    problem = services.problem_create(title="VPN", actor=responder, incidents=[first, second])
    assert services.problem_unlink_incident(problem=problem, incident=first, actor=responder)
    assert not services.problem_unlink_incident(problem=problem, incident=first, actor=responder)
    assert list(problem.incidents.all()) == [second]
    reasons = list(problem.history.values_list("history_change_reason", flat=True))
    assert f"Unlinked {first.number}" in reasons
    assert problem.history.first().history_user == responder


def test_an_incident_timeline_shows_its_problem(make_incident, responder):
    from incidents.selectors import incident_timeline

    incident = make_incident()
    problem = services.problem_create(title="VPN drops", actor=responder, incidents=[incident])
    entries = [e for e in incident_timeline(incident) if e.kind == "problem"]
    assert [e.title for e in entries] == [f"Linked to problem {problem.number}"]
