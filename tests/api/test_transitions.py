import pytest

from incidents import services, workflow
from incidents.choices import Channel, Status
from tests.api.conftest import url
from tests.fixtures.workflow import move_to, one_refusal_per_step

pytestmark = pytest.mark.django_db

RESOLVE = {"resolution_code": "fixed", "resolution_notes": "Restarted the gateway."}


def act(client, incident, action, body=None, **extra):
    return client.post(
        url(f"incidents/{incident.number}/{action}/"), body or {}, format="json", **extra
    )


def test_a_responder_walks_an_incident_through_the_whole_workflow(
    responder_api, reporter_api, incident, team
):
    steps = [
        (responder_api, "acknowledge", {}, Status.ACKNOWLEDGED),
        (responder_api, "assign", {"team": "network", "assignee": "agent"}, Status.ACKNOWLEDGED),
        (responder_api, "start", {}, Status.IN_PROGRESS),
        (responder_api, "hold", {"reason": "awaiting_vendor"}, Status.ON_HOLD),
        (responder_api, "resume", {}, Status.IN_PROGRESS),
        (responder_api, "resolve", RESOLVE, Status.RESOLVED),
        (reporter_api, "reopen", {"reason": "Still broken"}, Status.IN_PROGRESS),
        (responder_api, "resolve", RESOLVE, Status.RESOLVED),
        (reporter_api, "close", {}, Status.CLOSED),
    ]
    for client, action, body, status in steps:
        response = act(client, incident, action, body)
        assert response.status_code == 200, (action, response.json())
        assert response.json()["status"] == status, action
    incident.refresh_from_db()
    assert incident.assignee.username == "agent"
    reasons = list(incident.history.values_list("history_change_reason", flat=True))
    assert "Resolved via API" in reasons and "Closed via API" in reasons


def test_a_responder_cancels_with_a_reason(responder_api, incident):
    response = act(responder_api, incident, "cancel", {"reason": "Logged twice"})
    assert response.json()["status"] == Status.CANCELLED


@pytest.mark.parametrize(
    "action", ["acknowledge", "start", "assign", "hold", "resume", "resolve", "cancel"]
)
def test_end_users_cannot_make_staff_transitions_on_their_own_incident(
    reporter_api, incident, action
):
    response = act(reporter_api, incident, action, {"reason": "x", **RESOLVE})
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.status == Status.NEW


@pytest.mark.parametrize("action", ["acknowledge", "close", "reopen"])
def test_transitions_on_someone_elses_incident_are_404_for_end_users(
    other_reporter_api, incident, action
):
    assert act(other_reporter_api, incident, action).status_code == 404


def test_a_watcher_cannot_close_the_reporters_incident(
    other_reporter_api, other_reporter, incident, responder
):
    services.incident_watch(
        incident=incident, user=other_reporter, actor=other_reporter, via=Channel.PORTAL
    )
    services.incident_resolve(incident=incident, actor=responder, via=Channel.ADMIN, **RESOLVE)
    assert act(other_reporter_api, incident, "close").status_code == 403


def test_a_transition_the_workflow_forbids_is_409_with_the_reason(responder_api, incident):
    response = act(responder_api, incident, "resume")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert incident.number in response.json()["message"]


def test_closing_an_unresolved_incident_is_409_for_the_reporter(reporter_api, incident):
    assert act(reporter_api, incident, "close").status_code == 409


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("hold", {}, "reason"),
        ("hold", {"reason": "no_such_reason"}, "reason"),
        ("resolve", {"resolution_notes": "x"}, "resolution_code"),
        ("resolve", {"resolution_code": "nope", "resolution_notes": "x"}, "resolution_code"),
        ("resolve", {"resolution_code": "fixed", "resolution_notes": "  "}, "resolution_notes"),
        ("assign", {}, "assignee"),
        ("assign", {"assignee": "nobody"}, "assignee"),
        ("assign", {"assignee": "alice"}, "assignee"),
        ("acknowledge", {"version": "abc"}, "version"),
    ],
)
def test_missing_or_invalid_transition_fields_are_400_naming_the_field(
    responder_api, incident, action, body, field
):
    response = act(responder_api, incident, action, body)
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]


def test_a_transition_with_a_stale_version_changes_nothing(responder_api, incident):
    stale = incident.version + 5
    response = act(responder_api, incident, "acknowledge", {"version": stale})
    assert response.status_code == 409 and response.json()["code"] == "stale_version"
    response = act(responder_api, incident, "acknowledge", HTTP_IF_MATCH=f'"{stale}"')
    assert response.status_code == 412
    incident.refresh_from_db()
    assert incident.status == Status.NEW


def test_a_transition_with_the_current_version_applies(responder_api, incident):
    response = act(responder_api, incident, "acknowledge", {"version": incident.version})
    assert response.status_code == 200
    assert response.json()["version"] == incident.version + 1


STEP_INPUT = {"hold": {"reason": "awaiting_vendor"}, "resolve": RESOLVE, "reopen": {"reason": "x"}}


@pytest.mark.parametrize(("step", "source"), one_refusal_per_step())
def test_each_step_from_a_status_its_workflow_row_does_not_allow_is_409_with_the_reason(
    responder_api, incident, responder, step, source
):
    incident = move_to(incident, source, responder)
    version = incident.version
    response = act(responder_api, incident, step, STEP_INPUT.get(step))
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "invalid_transition"
    status = incident.get_status_display().lower()
    done = workflow.ACTIONS[step].done
    assert body["message"].startswith(f"{incident.number} cannot be {done}: it is {status}.")
    incident.refresh_from_db()
    assert (incident.status, incident.version) == (source, version)
