"""An end user's whole journey through the portal, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from incidents import services
from incidents.choices import Channel, Status
from incidents.models import Incident

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_user_reports_a_problem_follows_it_comments_and_reopens_it(
    page, sign_in, screenshot, reporter, responder, service
):
    sign_in(reporter)
    screenshot(page, "home")
    page.get_by_role("link", name="Report a problem").first.click()

    page.get_by_label("What is the problem?").fill("VPN drops every few minutes")
    page.get_by_label("Tell us more").fill("Since this morning, at home and on the train.")
    page.get_by_label("Which service is affected?").select_option(label="VPN")
    page.get_by_label("Only me").check()
    page.get_by_label("Completely: I cannot do my work at all").check()
    page.get_by_label("Attach a file").set_input_files(
        files=[{"name": "error.png", "mimeType": "image/png", "buffer": PNG}]
    )
    screenshot(page, "report-filled")
    page.get_by_role("button", name="Send report").click()

    number = page.locator("[data-incident-number]").inner_text()
    assert re.fullmatch(r"INC\d+", number)
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    screenshot(page, "reported")
    incident = Incident.objects.get(number=number)
    assert incident.attachments.get().original_name == "error.png"

    page.get_by_role("link", name="My incidents").first.click()
    expect(page.get_by_role("link", name=number)).to_be_visible()
    screenshot(page, "list")
    page.get_by_role("link", name=number).click()

    page.get_by_role("textbox", name="Comment").fill("It also happens on the office Wi-Fi.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("It also happens on the office Wi-Fi.")).to_be_visible()
    expect(page.get_by_role("link", name="error.png")).to_be_visible()

    services.incident_resolve(
        incident=incident,
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Replaced the VPN gateway certificate.",
    )
    page.reload()
    expect(page.get_by_text("Replaced the VPN gateway certificate.")).to_be_visible()
    screenshot(page, "resolved")
    page.get_by_label("What is still wrong?").fill("Dropped again at 14:00.")
    page.get_by_role("button", name="Still broken, reopen").click()
    expect(page.get_by_text(f"{number} is reopened")).to_be_visible()
    screenshot(page, "reopened")
    incident.refresh_from_db()
    assert incident.status == Status.IN_PROGRESS


def test_a_known_problem_is_offered_to_follow_before_reporting_a_duplicate(
    page, sign_in, screenshot, reporter, other_reporter, service
):
    known = services.incident_create(
        title="VPN is down for everyone",
        reporter=other_reporter,
        via=Channel.PORTAL,
        service=service,
        impact="high",
        urgency="high",
    )
    sign_in(reporter)
    page.goto("/portal/report/")
    page.get_by_label("Which service is affected?").select_option(label="VPN")
    expect(page.get_by_role("heading", name="This may already be known")).to_be_visible()
    expect(page.get_by_role("button", name="Report it anyway")).to_be_visible()
    screenshot(page, "known")
    page.get_by_role("button", name=f"Follow {known.number}").click()
    expect(page.get_by_text(f"You now follow {known.number}")).to_be_visible()
    assert known.watchers.filter(pk=reporter.pk).exists()
    assert Incident.objects.count() == 1


def test_a_too_large_file_is_refused_before_anything_is_sent(
    page, sign_in, screenshot, reporter, service, settings
):
    settings.ITSM_ATTACHMENT_MAX_BYTES = 20
    sign_in(reporter)
    page.goto("/portal/report/")
    page.get_by_label("What is the problem?").fill("Screen flickers")
    page.get_by_label("Only me").check()
    page.get_by_label("Not much: it is a nuisance, I can carry on").check()
    page.get_by_label("Attach a file").set_input_files(
        files=[{"name": "big.png", "mimeType": "image/png", "buffer": PNG}]
    )
    expect(page.get_by_role("alert")).to_contain_text("too large: files may be at most 20 bytes")
    page.get_by_role("button", name="Send report").click()
    screenshot(page, "too-large")
    assert not Incident.objects.exists()
    expect(page.get_by_label("What is the problem?")).to_have_value("Screen flickers")


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page, sign_in, reporter):
    sign_in(reporter)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"


def test_the_portal_fits_a_phone_screen(page, sign_in, screenshot, reporter, service):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(reporter)
    page.goto("/portal/report/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshot(page, "phone-report")
    assert overflow <= 0
