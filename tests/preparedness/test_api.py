"""Templates and checklists through the API: create from a template, list and tick tasks,
and the template lists."""

import pytest

from incidents.models import Incident
from incidents.selectors import incident_timeline
from preparedness import services
from preparedness.models import IncidentTask
from tests.api.conftest import client_for, url  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.django_db


@pytest.fixture
def responder_api(client_for, responder):  # noqa: F811
    return client_for(responder)


@pytest.fixture
def reporter_api(client_for, reporter):  # noqa: F811
    return client_for(reporter)


def tasks_url(incident) -> str:
    return url(f"incidents/{incident.number}/tasks/")


def test_an_incident_is_created_from_a_template_with_its_checklist(responder_api, login_template):
    response = responder_api.post(url("incidents/"), {"template": "cannot-log-in"}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["title"], data["service"], data["impact"], data["urgency"]) == (
        "Cannot log in",
        "vpn",
        "low",
        "high",
    )
    incident = Incident.objects.get(number=data["number"])
    assert incident.description == "I cannot sign in."
    assert [t.text for t in incident.tasks.all()] == ["Check the account lock"]


def test_fields_sent_with_a_template_override_the_templates(responder_api, login_template):
    body = {"template": "cannot-log-in", "title": "Cannot log in to payroll", "impact": "high"}
    response = responder_api.post(url("incidents/"), body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["title"], data["impact"], data["urgency"]) == (
        "Cannot log in to payroll",
        "high",
        "high",
    )


@pytest.mark.parametrize("slug", ["no-such-template", 7])
def test_an_unknown_template_is_a_400_on_the_template_field(responder_api, login_template, slug):
    response = responder_api.post(url("incidents/"), {"template": slug}, format="json")
    assert response.status_code == 400
    assert "template" in response.json()["errors"]
    assert not Incident.objects.exists()


def test_end_users_may_name_public_templates_only(reporter_api, login_template, internal_template):
    refused = reporter_api.post(url("incidents/"), {"template": "vpn-outage"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["template"] == [
        "There is no incident template “vpn-outage” you can use."
    ]
    accepted = reporter_api.post(url("incidents/"), {"template": "cannot-log-in"}, format="json")
    assert accepted.status_code == 201


def test_a_create_without_title_or_template_names_the_title(responder_api):
    response = responder_api.post(url("incidents/"), {"impact": "low"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["title"] == ["This field is required."]


def test_a_responder_lists_and_ticks_tasks_and_the_tick_is_in_history(
    responder_api, incident, default_plan, manager, responder
):
    services.plan_attach_checklist(incident=incident, plan=default_plan, actor=manager)
    listed = responder_api.get(tasks_url(incident))
    assert listed.status_code == 200
    rows = listed.json()
    assert [row["text"] for row in rows][:2] == ["Confirm the impact", "Take ownership"]
    assert rows[0]["owner"] == "manager" and rows[0]["plan"] == "Default plan"
    ticked = responder_api.patch(
        tasks_url(incident), {"id": rows[1]["id"], "done": True}, format="json"
    )
    assert ticked.status_code == 200
    assert ticked.json()["done"] is True and ticked.json()["done_by"] == "agent"
    task = IncidentTask.objects.get(pk=rows[1]["id"])
    assert task.history.latest().history_user == responder
    assert [e.body for e in incident_timeline(incident) if e.kind == "checklist"][-1] == (
        "☑ Take ownership"
    )


@pytest.mark.parametrize(
    "body", [{"id": 1}, {"done": True}, {"id": "1", "done": True}, {"id": 1, "done": 1}]
)
def test_a_bad_tick_is_a_400(responder_api, incident, body):
    assert responder_api.patch(tasks_url(incident), body, format="json").status_code == 400


def test_ticking_a_task_of_another_incident_is_a_404(
    responder_api, incident, make_incident, default_plan, manager
):
    other = make_incident(title="Other")
    task = services.plan_attach_checklist(incident=other, plan=default_plan, actor=manager)[0]
    response = responder_api.patch(
        tasks_url(incident), {"id": task.pk, "done": True}, format="json"
    )
    assert response.status_code == 404
    assert not IncidentTask.objects.get(pk=task.pk).done


def test_the_tasks_of_an_invisible_incident_are_a_404(
    responder_api, make_incident, default_plan, manager
):
    secret = make_incident(title="Leaked payroll file", confidential=True)
    task = services.plan_attach_checklist(incident=secret, plan=default_plan, actor=manager)[0]
    assert responder_api.get(tasks_url(secret)).status_code == 404
    response = responder_api.patch(tasks_url(secret), {"id": task.pk, "done": True}, format="json")
    assert response.status_code == 404
    assert not IncidentTask.objects.get(pk=task.pk).done


def test_end_users_do_not_see_or_tick_their_incidents_checklist(
    reporter_api, incident, default_plan, manager
):
    task = services.plan_attach_checklist(incident=incident, plan=default_plan, actor=manager)[0]
    assert reporter_api.get(tasks_url(incident)).status_code == 403
    response = reporter_api.patch(tasks_url(incident), {"id": task.pk, "done": True}, format="json")
    assert response.status_code == 403


def test_template_lists_show_each_audience_its_templates(
    responder_api, reporter_api, login_template, internal_template, message_templates
):
    staff = [t["slug"] for t in responder_api.get(url("incident-templates/")).json()]
    assert staff == ["cannot-log-in", "vpn-outage"]
    public = reporter_api.get(url("incident-templates/")).json()
    assert [t["slug"] for t in public] == ["cannot-log-in"]
    assert public[0]["steps"] == ["Check the account lock"]
    messages = [t["slug"] for t in responder_api.get(url("message-templates/")).json()]
    assert messages == ["investigating", "identified", "monitoring", "resolved"]
    assert reporter_api.get(url("message-templates/")).json() == []


def test_the_schema_documents_templates_and_tasks(responder_api):
    schema = responder_api.get("/api/schema/?format=json").json()
    assert "/api/v1/incidents/{number}/tasks/" in schema["paths"]
    assert "/api/v1/incident-templates/" in schema["paths"]
    create = schema["components"]["schemas"]["IncidentCreateRequest"]["properties"]
    assert "template" in create


def test_ticks_are_in_the_incident_history_for_staff_and_not_for_end_users(
    responder_api, reporter_api, incident, default_plan, manager
):
    task = services.plan_attach_checklist(incident=incident, plan=default_plan, actor=manager)[0]
    responder_api.patch(tasks_url(incident), {"id": task.pk, "done": True}, format="json")
    history = url(f"incidents/{incident.number}/history/")
    staff = [e for e in responder_api.get(history).json() if e["kind"] == "checklist"]
    assert [e["title"] for e in staff][-1] == "Task done"
    assert staff[-1]["body"] == "☑ Confirm the impact" and staff[-1]["actor"] == "Agent"
    public = reporter_api.get(history).json()
    assert not [e for e in public if e["kind"] == "checklist"]
