import pytest
from playwright.sync_api import expect

from incidents import services
from incidents.choices import Channel

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_anyone_sees_service_states_and_major_incident_updates(
    page, screenshot, make_incident, service, manager, responder
):
    major = make_incident(title="VPN outage", service=service)
    services.incident_declare_major(incident=major, actor=manager, via=Channel.ADMIN)
    services.incident_comment(
        incident=major,
        author=responder,
        body="Gateway is restarting; back within the hour.",
        public=True,
        via=Channel.ADMIN,
    )
    page.goto("/status/")
    expect(page.get_by_role("heading", name="Ongoing major incidents")).to_be_visible()
    expect(page.get_by_text("Gateway is restarting; back within the hour.")).to_be_visible()
    expect(page.locator(".service", has_text="VPN")).to_contain_text("Outage")
    screenshot(page, "status")
