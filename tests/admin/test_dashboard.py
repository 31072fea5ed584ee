"""The admin index is the responder's dashboard; every figure links to the list filtered
the same way."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from itsm.admin import AdminPage
from tests.admin.conftest import CHANGELIST

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(login, responder):
    return login(responder)


@pytest.fixture
def workload(make_incident, service, responder, manager):
    """Mine, unassigned in my team, someone else's breached major incident, a P5."""
    late = timezone.now() - timedelta(hours=6)
    return {
        "mine": make_incident(title="Mine", service=service, assignee=responder),
        "unassigned": make_incident(title="Queue", service=service),
        "major": make_incident(
            title="Core switch down",
            impact="high",
            urgency="high",
            assignee=manager,
            major=True,
            opened_at=late,
        ),
        "low": make_incident(title="Mouse squeaks", impact="low", urgency="low"),
    }


def test_dashboard_shows_my_work_my_teams_queue_breaches_and_majors(client, workload):
    response = client.get(reverse("admin:index"))
    panels = {panel.title: panel for panel in response.context["dashboard"].panels}

    def listed(title):
        return [incident.number for incident in panels[title].incidents]

    assert listed("My open incidents") == [workload["mine"].number]
    assert listed("Unassigned in my teams") == [workload["unassigned"].number]
    assert listed("SLA breached or at risk") == [workload["major"].number]
    assert listed("Open major incidents") == [workload["major"].number]
    page = response.content.decode()
    assert "Breached</span>" in page and "MAJOR" in page


def test_counts_by_priority_cover_open_incidents(client, workload):
    priorities = client.get(reverse("admin:index")).context["dashboard"].priorities
    counts = {p["priority"]: p["count"] for p in priorities}
    assert counts == {"P1": 1, "P2": 0, "P3": 2, "P4": 0, "P5": 1}


def test_each_figure_links_to_the_list_filtered_the_same_way(client, workload):
    dashboard = client.get(reverse("admin:index")).context["dashboard"]
    links = [*dashboard.tiles, *dashboard.priorities]
    links += [{"url": panel.url, "count": panel.count} for panel in dashboard.panels[:2]]
    for link in links:
        assert link["url"].startswith(reverse(CHANGELIST))
        shown = client.get(link["url"]).context["cl"].result_count
        assert shown == link["count"], link


def test_staff_without_a_role_gets_no_dashboard(login, staff_without_role, workload):
    response = login(staff_without_role).get(reverse("admin:index"))
    assert response.context["dashboard"] is None
    assert workload["mine"].number not in response.content.decode()


def test_registered_pages_appear_for_those_allowed_and_are_served(
    login, responder, manager, settings, monkeypatch
):
    def weekly(request, context):
        return HttpResponse(f"weekly for {context['site_header']}")

    page = AdminPage("weekly/", weekly, "weekly-test", "Weekly report", "incidents.merge_incident")
    monkeypatch.setattr(admin.site, "pages", [*admin.site.pages, page])
    settings.ROOT_URLCONF = "tests.admin.urls_with_page"
    assert "Weekly report" in login(manager).get("/admin/").content.decode()
    assert "Weekly report" not in login(responder).get("/admin/").content.decode()
    assert login(manager).get("/admin/weekly/").content == b"weekly for IT Service Desk"
