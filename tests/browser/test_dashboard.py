"""A member of the fallback team opens the workspace in a real browser and finds the alert
nobody owned both in "Routed to the fallback team" and in their unassigned queue."""

import json

import pytest
from django.test import Client
from playwright.sync_api import expect

from incidents.models import Team
from integrations import services as integration_services
from integrations.models import AlertGroup
from tests.integrations.conftest import ALERTMANAGER_URL, sample

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_service_desk_member_sees_an_unowned_alert_on_the_dashboard(
    page, screenshot, make_user, password
):
    desk = Team.objects.get_or_create(slug="service-desk", defaults={"name": "Service desk"})[0]
    member = make_user("triage", group="Responders", staff=True)
    desk.members.add(member)
    _, token = integration_services.integration_create(kind="alertmanager", name="Prometheus")
    response = Client().post(
        ALERTMANAGER_URL,
        data=json.dumps(sample("firing")),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    number = AlertGroup.objects.get().incident.number

    page.goto("/admin/login/")
    page.get_by_label("Username").fill("triage")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    block = page.locator(".module", has_text="Routed to the fallback team")
    expect(block.get_by_role("link", name=number)).to_be_visible()
    queue = page.locator(".module", has_text="Unassigned in my teams")
    expect(queue.get_by_role("link", name=number)).to_be_visible()
    screenshot(page, "dashboard")

    block.get_by_role("link", name=number).click()
    expect(
        page.get_by_text(
            "Routed to the fallback team Service desk (no owner team, no matching rule)"
        )
    ).to_be_visible()
    screenshot(page, "timeline")
