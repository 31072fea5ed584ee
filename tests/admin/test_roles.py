"""Who may do what in the workspace: authority comes from the role groups, never from
being staff."""

import pytest
from django.urls import reverse

from incidents.models import Incident, Service, SLAPolicy
from tests.admin.conftest import CHANGELIST, change_url

pytestmark = pytest.mark.django_db


def test_end_user_gets_no_admin_and_is_sent_to_the_login(login, reporter, incident):
    client = login(reporter)
    for url in (reverse("admin:index"), reverse(CHANGELIST), change_url(incident)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_staff_in_neither_group_sees_no_incident_data(login, staff_without_role, incident):
    client = login(staff_without_role)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert incident.number not in index.content.decode()
    assert "My open incidents" not in index.content.decode()
    assert client.get(reverse(CHANGELIST)).status_code == 403
    # Object pages answer as if the incident did not exist (itsm.admin_access).
    assert client.get(change_url(incident)).status_code == 404
    history = reverse("admin:incidents_incident_history", args=[incident.pk])
    assert client.get(history).status_code == 404


def test_staff_in_neither_group_cannot_search_people(login, staff_without_role):
    url = reverse("admin:autocomplete")
    params = {"app_label": "incidents", "model_name": "incident", "field_name": "assignee"}
    assert login(staff_without_role).get(url, params).status_code == 403


def test_responder_may_look_at_sla_policies_but_not_change_them(login, responder):
    policy = SLAPolicy.objects.get(priority="P1")
    client = login(responder)
    url = reverse("admin:incidents_slapolicy_change", args=[policy.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"priority": "P1", "response_minutes": 1})
    assert response.status_code == 403
    policy.refresh_from_db()
    assert policy.response_minutes == 15


def test_responder_cannot_add_services_but_a_manager_can(login, responder, manager):
    url = reverse("admin:incidents_service_add")
    data = {"name": "Printing", "slug": "printing", "active": "on"}
    assert login(responder).post(url, data).status_code == 403
    assert login(manager).post(url, data).status_code == 302
    assert Service.objects.filter(slug="printing").exists()


def test_manager_changes_an_sla_policy_and_history_records_who(login, manager):
    policy = SLAPolicy.objects.get(priority="P2")
    url = reverse("admin:incidents_slapolicy_change", args=[policy.pk])
    data = {
        "priority": "P2",
        "warn_percent": 80,
        "response_minutes": 20,
        "resolution_minutes": 480,
        "update_interval_minutes": 120,
        "business_day_start": "09:00",
        "business_day_end": "17:00",
        "business_weekdays": "0,1,2,3,4",
    }
    assert login(manager).post(url, data).status_code == 302
    policy.refresh_from_db()
    assert policy.response_minutes == 20
    assert policy.history.latest().history_user == manager


def _actions(client) -> list[str]:
    form = client.get(reverse(CHANGELIST)).context["action_form"]
    return [value for value, _ in form.fields["action"].choices]


def test_only_managers_see_the_merge_action(login, responder, manager, incident):
    assert "merge" not in _actions(login(responder))
    assert "resolve" in _actions(login(responder))
    assert "merge" in _actions(login(manager))


def test_nobody_deletes_incidents_in_the_admin(login, superuser, incident):
    url = reverse("admin:incidents_incident_delete", args=[incident.pk])
    assert login(superuser).post(url, {"post": "yes"}).status_code == 403
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_assignee_search_offers_only_people_who_work_incidents(login, responder, manager, reporter):
    url = reverse("admin:autocomplete")
    params = {"app_label": "incidents", "model_name": "incident", "field_name": "assignee"}
    found = login(responder).get(url, params).json()["results"]
    names = {result["text"] for result in found}
    assert {"agent", "manager"} <= names
    assert "alice" not in names
    params["field_name"] = "reporter"
    reporters = {r["text"] for r in login(responder).get(url, params).json()["results"]}
    assert "alice" in reporters


def test_responder_cannot_open_the_user_directory(login, responder):
    assert login(responder).get(reverse("admin:auth_user_changelist")).status_code == 403
