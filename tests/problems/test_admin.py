"""Problems in the admin: the incident list's "Link to problem", suggestions, permissions."""

import pytest
from django.contrib.admin import AdminSite
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from problems import services
from problems.admin_actions import install_incident_action, link_to_problem
from problems.models import Problem

pytestmark = pytest.mark.django_db
INCIDENTS = reverse("admin:incidents_incident_changelist")
PROBLEMS = reverse("admin:problems_problem_changelist")


def action_post(incidents, **extra):
    return {"action": "link_to_problem", ACTION_CHECKBOX_NAME: [i.pk for i in incidents], **extra}


def test_the_incident_admin_offers_link_to_problem():
    from django.contrib import admin

    from incidents.models import Incident

    assert link_to_problem in admin.site._registry[Incident].actions


def test_installing_on_a_site_without_an_incident_admin_does_nothing():
    assert install_incident_action(AdminSite(name="empty")) is False


def test_installing_twice_adds_the_action_once():
    from django.contrib import admin

    from incidents.models import Incident

    install_incident_action(admin.site)
    assert admin.site._registry[Incident].actions.count(link_to_problem) == 1


def test_a_responder_links_selected_incidents_to_an_existing_problem(
    client, responder, make_incident
):
    problem = services.problem_create(title="VPN drops", actor=responder)
    incidents = [make_incident(title="A"), make_incident(title="B")]
    client.force_login(responder)
    form = client.post(INCIDENTS, action_post(incidents))
    assert form.status_code == 200 and b"Link incidents to a problem" in form.content
    done = client.post(
        INCIDENTS, action_post(incidents, apply="1", problem=problem.pk), follow=True
    )
    assert f"Linked {incidents[0].number}, {incidents[1].number}" in done.content.decode()
    assert problem.links.count() == 2


def test_a_responder_links_incidents_to_a_new_problem(client, responder, make_incident):
    incident = make_incident()
    client.force_login(responder)
    client.post(INCIDENTS, action_post([incident], apply="1", new_title="Gateway memory leak"))
    problem = Problem.objects.get()
    assert problem.title == "Gateway memory leak"
    assert list(problem.incidents.all()) == [incident]


def test_linking_without_a_problem_or_title_asks_again(client, responder, make_incident):
    client.force_login(responder)
    response = client.post(INCIDENTS, action_post([make_incident()], apply="1"))
    assert response.status_code == 200
    assert "Choose a problem or give the new one a title." in response.content.decode()
    assert not Problem.objects.exists()


def test_staff_without_the_problem_permission_do_not_get_the_action(
    client, make_user, make_incident
):
    from django.contrib.auth.models import Permission

    viewer = make_user("viewer", staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_incident", "change_incident"])
    )
    client.force_login(viewer)
    page = client.get(INCIDENTS)
    assert page.status_code == 200
    assert "link_to_problem" not in page.content.decode()


def test_the_problem_list_suggests_recurring_incidents_and_creates_a_problem(
    client, responder, make_incident, service
):
    for i in range(3):
        make_incident(title=f"VPN {i}", service=service)
    client.force_login(responder)
    page = client.get(PROBLEMS)
    assert "Recurring incidents: consider a problem record" in page.content.decode()
    created = client.post(
        reverse("admin:problems_problem_from_suggestion"), {"key": f"service:{service.pk}"}
    )
    problem = Problem.objects.get()
    assert created.url == problem.get_admin_url()
    assert problem.links.count() == 3


def test_a_stale_suggestion_redirects_with_a_message(client, responder):
    client.force_login(responder)
    response = client.post(
        reverse("admin:problems_problem_from_suggestion"), {"key": "service:1"}, follow=True
    )
    assert "no longer applies" in response.content.decode()


def test_end_users_cannot_create_problems_from_suggestions(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("admin:problems_problem_from_suggestion"), {"key": "x"})
    assert response.status_code == 302 and "/login/" in response.url
    assert not Problem.objects.exists()


def test_a_manager_flags_a_known_error_only_with_a_workaround(client, manager):
    client.force_login(manager)
    data = {
        "title": "VPN drops",
        "status": "open",
        "known_error": "on",
        "description": "",
        "root_cause": "",
        "workaround": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    refused = client.post(reverse("admin:problems_problem_add"), data)
    assert refused.status_code == 200
    assert "root cause or a workaround" in refused.content.decode()
    data["workaround"] = "Reconnect on port 443."
    client.post(reverse("admin:problems_problem_add"), data)
    problem = Problem.objects.get()
    assert problem.known_error and problem.number.startswith("PRB")
    assert problem.history.first().history_user == manager


def test_the_problem_list_takes_a_fixed_number_of_queries(
    client, responder, make_incident, django_assert_num_queries
):
    for i in range(5):
        services.problem_create(title=f"P{i}", actor=responder, incidents=[make_incident()])
    client.force_login(responder)
    # 1 session, 2 user; suggestions: 3 services, 4 titles, 5 alert keys (no group reaches
    # the threshold, so no incident fetch); 6-7 permissions, 8 services for the filter,
    # 9-10 counts, 11 the rows with their incident counts annotated
    with django_assert_num_queries(11):
        assert client.get(PROBLEMS).status_code == 200
