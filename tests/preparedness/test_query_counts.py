"""Query budgets of the new list pages: the preparedness page and the checklist API."""

import pytest
from django.test import Client
from django.urls import reverse

from incidents.models import Service, Team
from preparedness import services
from preparedness.models import PlanStep, ResponsePlan
from tests.api.conftest import client_for, url  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.django_db
SIZES = [2, 12]


@pytest.mark.parametrize("rows", SIZES)
def test_the_preparedness_page_costs_the_same_queries_whatever_the_catalogue(
    manager, team, rows, django_assert_max_num_queries
):
    from paging.models import EscalationPolicy, EscalationStep

    for n in range(rows):
        quiet = Team.objects.create(name=f"Team {n}", slug=f"team-{n}")
        service = Service.objects.create(name=f"Service {n}", slug=f"service-{n}")
        ResponsePlan.objects.create(name=f"Plan {n}", service=service)
        if n % 2:
            policy = EscalationPolicy.objects.create(team=quiet, name=f"Policy {n}")
            EscalationStep.objects.create(policy=policy, position=0, team_lead=True)
    client = Client()
    client.force_login(manager)
    client.get(reverse("admin:preparedness"))  # warm the per-process caches
    # 1.-4. session, user, and the user's permissions (two), 5. active services, 6. plans
    # with a service, 7. is there a default plan, 8. runbooks, 9. teams, 10.-12. schedules
    # with their layers and overrides (on call now), 13. policies with teams and leads,
    # 14. their steps, 15. the steps' schedules, 16. the steps' people, 17. active plans
    # with services, 18. when each was last exercised (none without a practice flag);
    # plus two for the dashboard navigation (pages, apps).
    with django_assert_max_num_queries(20):
        response = client.get(reverse("admin:preparedness"))
    assert response.status_code == 200
    assert f"Plan {rows - 1}" in response.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_checklist_api_costs_the_same_queries_whatever_its_length(
    client_for,  # noqa: F811
    responder,
    incident,
    manager,
    rows,
    django_assert_num_queries,
):
    plan = ResponsePlan.objects.create(name="Long plan")
    for n in range(rows):
        PlanStep.objects.create(plan=plan, position=n, text=f"Step {n}", owner_role="manager")
    services.plan_attach_checklist(incident=incident, plan=plan, actor=manager)
    api = client_for(responder)
    api.get(url(f"incidents/{incident.number}/tasks/"))  # warm the per-process caches
    with django_assert_num_queries(6) as captured:
        response = api.get(url(f"incidents/{incident.number}/tasks/"))
    # 1. the token with its user, 2.-3. the user's own and group permissions (the
    # visibility rule, then cached), 4. the incident, 5. its people as the incident list
    # reads them, 6. the tasks with owners, teams, plan and template.
    assert len(response.json()) == rows, [q["sql"] for q in captured.captured_queries]
