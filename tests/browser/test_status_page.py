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


def test_a_visitor_reads_uptime_bars_and_maintenance_and_subscribes(
    page, screenshot, make_incident, service, manager
):
    from datetime import timedelta

    from django.utils import timezone

    from incidents.models import Incident
    from integrations.models import MaintenanceWindow
    from integrations.services import maintenance_window_save
    from statuspage import services as status_services
    from statuspage.selectors import page_zone

    now = timezone.now()
    # Each incident ends at noon (the page's zone), so how many days it spans does not
    # depend on the hour the test runs at: the 20-hour one always crosses a midnight.
    noon = timezone.localtime(now, page_zone()).replace(hour=12, minute=0, second=0)
    for days, hours, priority in [(3, 5, "P1"), (10, 20, "P3"), (40, 2, "P2")]:
        incident = make_incident(title=f"Trouble {days}", service=service)
        Incident.objects.filter(pk=incident.pk).update(
            opened_at=noon - timedelta(days=days, hours=hours),
            resolved_at=noon - timedelta(days=days),
            status="resolved",
            priority=priority,
        )
    window = MaintenanceWindow(
        service=service,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
        public=True,
        title="Router firmware upgrade",
        description="The VPN may drop for a minute.",
    )
    maintenance_window_save(window=window, actor=manager)
    today = timezone.localdate()
    status_services.uptime_refresh(first_day=today - timedelta(days=89), last_day=today)

    page.goto("/status/")
    expect(page.get_by_role("heading", name="Scheduled maintenance")).to_be_visible()
    expect(page.locator(".uptime__bar")).to_have_count(90)
    expect(page.locator(".uptime__bar--outage")).to_have_count(2)
    expect(page.locator(".uptime__bar--degraded")).to_have_count(2)  # 20 hours span 2 days
    screenshot(page, "status-with-uptime")

    page.get_by_role("link", name="Get e-mail about incidents and maintenance").click()
    page.get_by_label("Your e-mail address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    screenshot(page, "subscribe-error")
    page.get_by_label("Your e-mail address").fill("sam@example.org")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    page.goto("/status/history/")
    expect(page.get_by_role("heading", name="Maintenance", exact=True)).to_be_visible()
    screenshot(page, "history")
