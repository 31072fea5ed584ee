"""The rating pages in headless Chromium: the link page, the portal box, the staff side."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from incidents.models import IncidentEvent
from notifications.content import notification_context
from notifications.emails import render_trio
from notifications.models import Notification
from notifications.services import notifications_create
from tests.notifications.live import restore_catalogue
from tests.satisfaction.conftest import resolve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    restore_catalogue()


def test_a_reporter_follows_a_mail_link_and_sends_a_rating(
    page, screenshot, incident, responder, link_for
):
    resolved = resolve(incident, responder)
    event = IncidentEvent.objects.get(incident=resolved, kind="resolved")
    notifications_create(event=event)
    mail = Notification.objects.get(event=event, role="reporter")
    _, _, html = render_trio("resolved", notification_context(mail))
    page.set_content(html)
    expect(page.get_by_text("How satisfied are you with how we handled it?")).to_be_visible()
    expect(page.locator("a[href*='/rate/']")).to_have_count(5)
    screenshot(page, "resolved-mail")
    link = page.locator("a[href*='/rate/']").nth(1).get_attribute("href")
    page.goto(link.removeprefix(settings.SITE_URL))
    expect(page.get_by_label("2 – Dissatisfied")).to_be_checked()
    screenshot(page, "link-page")
    page.get_by_label("5 – Very satisfied").check()
    page.get_by_label("Anything you want to tell us?").fill("Fixed before lunch.")
    page.get_by_role("button", name="Send my rating").click()
    expect(page.get_by_text("your rating of INC0001001 is recorded")).to_be_visible()
    screenshot(page, "link-thanks")


def test_the_reporter_rates_in_the_portal_and_staff_see_it(
    page, sign_in, screenshot, incident, responder, reporter
):
    resolve(incident, responder)
    sign_in(reporter)
    page.goto(incident.get_absolute_url())
    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible()
    screenshot(page, "portal-form")
    page.get_by_label("4 – Satisfied").check()
    page.get_by_role("button", name="Send my rating").click()
    expect(page.get_by_role("heading", name="Your rating")).to_be_visible()
    screenshot(page, "portal-rated")
    page.context.clear_cookies()
    sign_in(responder)
    page.goto(incident.get_admin_url())
    expect(page.get_by_role("heading", name="Reporter satisfaction")).to_be_visible()
    screenshot(page, "admin")
    page.goto("/admin/reports/")
    expect(page.get_by_role("heading", name="Reporter satisfaction")).to_be_visible()
    page.locator("#satisfaction-heading").scroll_into_view_if_needed()
    screenshot(page, "reports")


def test_the_lead_reads_the_low_rating_mail(page, screenshot, incident, responder, reporter):
    from satisfaction.services import rating_record

    rating_record(
        incident=resolve(incident, responder), user_or_token=reporter, score=2, comment="Slow."
    )
    event = IncidentEvent.objects.get(incident=incident, kind="csat_low")
    notifications_create(event=event)
    mail = Notification.objects.get(event=event)
    assert (mail.address, mail.role) == ("manager@example.com", "lead")
    _, text, html = render_trio("csat-low", notification_context(mail))
    assert "Slow." in text
    page.set_content(html)
    expect(page.get_by_role("heading", name="Low satisfaction rating")).to_be_visible()
    expect(page.get_by_text("2 out of 5")).to_be_visible()
    screenshot(page, "low-rating-mail")
