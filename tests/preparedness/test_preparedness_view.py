"""The preparedness page: what is not ready, for incident managers."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident, Service, Team
from preparedness.models import IncidentTask, ResponsePlan
from preparedness.selectors import plan_last_exercised, preparedness

pytestmark = pytest.mark.django_db
PAGE = reverse("admin:preparedness")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def catalogue(service, team, manager):
    """VPN: own plan and a runbook (ready); Wi-Fi: default plan only, no runbook; a team
    with an escalation policy that names its lead (reachable) and one without anything."""
    from paging.models import EscalationPolicy, EscalationStep
    from problems.models import Runbook

    ResponsePlan.objects.create(name="Default plan")
    ResponsePlan.objects.create(name="VPN plan", service=service)
    Runbook.objects.create(title="VPN checks", service=service, body="Check it.")
    wifi = Service.objects.create(name="Wi-Fi", slug="wifi", owner_team=team)
    policy = EscalationPolicy.objects.create(team=team, name="Network paging")
    EscalationStep.objects.create(policy=policy, position=0, team_lead=True)
    quiet = Team.objects.create(name="Facilities", slug="facilities")
    return wifi, quiet


def test_the_page_lists_services_teams_and_plans_that_are_not_ready(manager, catalogue):
    wifi, quiet = catalogue
    page = login(manager).get(PAGE).content.decode()
    assert "Services without a response plan or runbook" in page
    assert "Wi-Fi" in page and "Only the default plan" in page
    report = preparedness()
    assert [gap.service.name for gap in report.services] == ["Wi-Fi"]
    teams = [gap.team.name for gap in report.teams]
    assert "Facilities" in teams and "Network" not in teams
    assert "No one on call and no escalation policy." in page
    assert sorted(stale.plan.name for stale in report.plans) == ["Default plan", "VPN plan"]
    assert page.count("Never") == 2


def test_a_team_whose_policy_reaches_nobody_is_listed(manager, catalogue, team):
    Team.objects.filter(pk=team.pk).update(lead=None)
    names = {gap.team.name: gap.why for gap in preparedness().teams}
    assert names["Network"] == "Its escalation policy reaches nobody right now."


def test_a_plan_exercised_by_a_drill_is_not_listed(manager, responder, catalogue):
    from drills.services import drill_start

    plan = ResponsePlan.objects.get(name="VPN plan")
    assert plan_last_exercised([plan]) == {plan.pk: None}
    drill_start(manager=manager, plan=plan, participants=[responder])
    assert plan_last_exercised([plan])[plan.pk] > timezone.now() - timedelta(minutes=1)
    assert [s.plan.name for s in preparedness().plans] == ["Default plan"]


def test_a_plan_whose_checklist_ran_on_a_practice_incident_counts_as_exercised(
    manager, catalogue, incident
):
    plan = ResponsePlan.objects.get(name="VPN plan")
    Incident.objects.filter(pk=incident.pk).update(practice=True)
    IncidentTask.objects.create(incident=incident, plan=plan, text="Drill step")
    assert plan_last_exercised([plan])[plan.pk] > timezone.now() - timedelta(minutes=1)


def test_the_page_is_linked_from_the_dashboard_for_managers_only(manager, responder):
    assert PAGE in login(manager).get(reverse("admin:index")).content.decode()
    assert PAGE not in login(responder).get(reverse("admin:index")).content.decode()
    assert login(responder).get(PAGE).status_code == 403
