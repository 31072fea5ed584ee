"""Preparedness in the responder workspace: the checklist on the incident page, templates
on the add page, message templates for a public update, and the plan admin."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from incidents.models import Comment, Incident
from incidents.selectors import incident_timeline
from preparedness import services
from preparedness.models import IncidentTask, ResponsePlan

pytestmark = pytest.mark.django_db
ADD = reverse("admin:incidents_incident_add")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(incident) -> str:
    return reverse("admin:incidents_incident_change", args=[incident.pk])


def tick_url(task) -> str:
    return reverse("admin:incidents_incident_task", args=[task.incident_id, task.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def checklist(incident, default_plan, manager):
    return services.plan_attach_checklist(incident=incident, plan=default_plan, actor=manager)


def test_the_incident_page_lists_the_checklist_with_owners_and_tick_buttons(
    incident, checklist, responder
):
    page = login(responder).get(change_url(incident)).content.decode()
    assert 'id="checklist"' in page
    assert "Confirm the impact" in page and "Owner: Manager" in page
    assert "Owner: Network" in page  # the team step
    assert page.count(f'action="{tick_url(checklist[0])}"') == 1


def test_a_responder_ticks_a_task_and_the_tick_is_on_the_timeline(incident, checklist, responder):
    client = login(responder)
    response = client.post(tick_url(checklist[0]), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(change_url(incident) + "#checklist")
    assert messages_of(response) == ["Done: Confirm the impact"]
    task = IncidentTask.objects.get(pk=checklist[0].pk)
    assert task.done and task.done_by == responder
    page = client.get(change_url(incident)).content.decode()
    assert "Task done" in page and "☑ Confirm the impact" in page
    client.post(tick_url(checklist[0]), {"done": "0"})
    assert not IncidentTask.objects.get(pk=checklist[0].pk).done
    titles = [e.title for e in incident_timeline(incident) if e.kind == "checklist"]
    assert titles[-2:] == ["Task done", "Task reopened"]


def test_opening_a_tick_address_changes_nothing(incident, checklist, responder):
    response = login(responder).get(tick_url(checklist[0]))
    assert response.status_code == 405
    assert not IncidentTask.objects.get(pk=checklist[0].pk).done


def test_ticking_a_task_of_another_incident_or_an_invisible_one_is_a_404(
    incident, checklist, make_incident, responder, reporter
):
    other = make_incident(title="Another")
    wrong = reverse("admin:incidents_incident_task", args=[other.pk, checklist[0].pk])
    assert login(responder).post(wrong, {"done": "1"}).status_code == 404
    secret = make_incident(title="Leaked payroll file", confidential=True)
    task = IncidentTask.objects.create(incident=secret, text="Rotate the keys")
    assert login(responder).post(tick_url(task), {"done": "1"}).status_code == 404
    assert not IncidentTask.objects.filter(done=True).exists()


def test_the_add_page_offers_templates_and_fills_the_form_from_one(
    responder, login_template, internal_template, service
):
    client = login(responder)
    page = client.get(ADD).content.decode()
    assert "Start from an incident template" in page
    assert 'value="cannot-log-in"' in page and 'value="vpn-outage"' in page
    filled = client.get(ADD + "?template=cannot-log-in").content.decode()
    assert 'value="Cannot log in"' in filled
    assert "I cannot sign in." in filled
    assert f'<option value="{service.pk}" selected>' in filled


def test_an_unknown_template_on_the_add_page_is_told_and_the_form_stays_empty(responder):
    response = login(responder).get(ADD + "?template=nope")
    assert response.status_code == 200
    assert "There is no active incident template with that name." in messages_of(response)


def test_saving_the_add_page_from_a_template_creates_the_incident_with_its_checklist(
    responder, reporter, login_template, service
):
    data = {
        "title": "Cannot log in to payroll",  # edited: the typed title wins
        "description": "I cannot sign in.",
        "reporter": reporter.pk,
        "channel": "phone",
        "impact": "low",
        "urgency": "high",
        "service": service.pk,
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
    }
    response = login(responder).post(ADD + "?template=cannot-log-in", data)
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.title == "Cannot log in to payroll"
    assert (incident.reporter, incident.channel) == (reporter, "phone")
    assert [t.text for t in incident.tasks.all()] == ["Check the account lock"]
    assert incident.tasks.get().template == login_template


def test_message_templates_work_without_javascript_and_publish_a_public_update(
    incident, responder, message_templates
):
    client = login(responder)
    page = client.get(change_url(incident)).content.decode()
    assert "Public update from a template" in page and 'value="investigating"' in page
    chosen = client.get(change_url(incident) + "?message_template=identified").content.decode()
    assert "Cause of the VPN problem found.</textarea>" in chosen
    url = reverse("admin:incidents_incident_message_template", args=[incident.pk])
    response = client.post(url, {"body": "Cause of the VPN problem found. Edited."})
    assert response.status_code == 302
    comment = Comment.objects.get(incident=incident)
    assert comment.public and comment.body == "Cause of the VPN problem found. Edited."
    assert comment.author == responder


def test_an_empty_update_from_a_template_is_refused_with_a_message(incident, responder):
    url = reverse("admin:incidents_incident_message_template", args=[incident.pk])
    response = login(responder).post(url, {"body": "  "})
    assert response.status_code == 302
    assert messages_of(response) == ["The update is empty: write or choose its text."]
    assert not Comment.objects.exists()


def test_a_manager_writes_a_plan_with_engagements_and_steps_in_the_admin(manager, service, team):
    data = {
        "name": "VPN plan",
        "service": service.pk,
        "lead_team": team.pk,
        "lead_role": "Incident commander",
        "trigger_priorities": ["P1", "P2"],
        "active": "on",
        "engagements-TOTAL_FORMS": 1,
        "engagements-INITIAL_FORMS": 0,
        "engagements-0-team": team.pk,
        "engagements-0-priorities": ["P1"],
        "communications-TOTAL_FORMS": 0,
        "communications-INITIAL_FORMS": 0,
        "steps-TOTAL_FORMS": 1,
        "steps-INITIAL_FORMS": 0,
        "steps-0-position": 0,
        "steps-0-text": "Fail over",
        "steps-0-owner_role": "assignee",
    }
    response = login(manager).post(reverse("admin:preparedness_responseplan_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = ResponsePlan.objects.get()
    assert plan.trigger_priorities == ["P1", "P2"]
    assert plan.engagements.get().priorities == ["P1"]
    assert plan.steps.get().text == "Fail over"


def test_a_second_active_default_plan_is_refused_with_a_form_error(manager, default_plan):
    data = {
        "name": "Another default",
        "active": "on",
        "engagements-TOTAL_FORMS": 0,
        "engagements-INITIAL_FORMS": 0,
        "communications-TOTAL_FORMS": 0,
        "communications-INITIAL_FORMS": 0,
        "steps-TOTAL_FORMS": 0,
        "steps-INITIAL_FORMS": 0,
    }
    response = login(manager).post(reverse("admin:preparedness_responseplan_add"), data)
    assert response.status_code == 200
    assert "There is already an active default plan." in response.content.decode()
    assert ResponsePlan.objects.count() == 1


def test_a_message_template_with_an_unknown_placeholder_is_refused(manager):
    data = {
        "name": "Odd",
        "slug": "odd",
        "stage": "investigating",
        "subject": "",
        "body": "Hello {customer}",
        "active": "on",
    }
    response = login(manager).post(reverse("admin:preparedness_messagetemplate_add"), data)
    assert response.status_code == 200
    assert "Unknown placeholder(s): {customer}." in response.content.decode()


def test_responders_read_plans_but_only_managers_change_them(responder, default_plan):
    client = login(responder)
    url = reverse("admin:preparedness_responseplan_change", args=[default_plan.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:preparedness_responseplan_add")).status_code == 403


def test_the_template_list_links_each_active_template_to_the_add_page(responder, login_template):
    page = login(responder).get(reverse("admin:preparedness_incidenttemplate_changelist"))
    assert f'href="{ADD}?template=cannot-log-in"' in page.content.decode()


def test_the_checklist_shows_the_plans_communication_plan(
    incident, checklist, default_plan, responder, message_templates
):
    default_plan.communications.create(
        audience="subscribers", cadence_minutes=30, template=message_templates["investigating"]
    )
    page = login(responder).get(change_url(incident)).content.decode()
    assert "Communication plan" in page
    assert "Service subscribers: every 30 min, with “Investigating”" in page
