"""A manager starts a drill in a real browser, the practice incident is marked on the list
and its page, the end user taking part sees the banner in the portal, and the manager ends
the drill with its review and reads the figures."""

import pytest
from playwright.sync_api import expect

from drills.models import Drill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _admin_login(page, user, password):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_manager_runs_a_drill_from_start_to_review(
    page, screenshot, manager, responder, reporter, template, password
):
    _admin_login(page, manager, password)
    page.goto("/admin/drills/drill/")
    page.get_by_role("link", name="Start a drill").click()
    page.get_by_label("Incident template").select_option(label="VPN outage")
    page.select_option("#id_participants_from", label="agent")
    page.click("#id_participants_add")
    page.get_by_label("End user taking part (optional)").select_option(label="alice")
    screenshot(page, "start")
    page.get_by_role("button", name="Start the drill").click()
    expect(page.get_by_text("This drill is running.")).to_be_visible()
    drill = Drill.objects.get()
    assert list(drill.participants.all()) == [responder] and drill.include_end_user == reporter
    screenshot(page, "drill-running")

    page.goto("/admin/incidents/incident/")
    expect(page.locator("#result_list .itsm-practice")).to_have_count(1)
    screenshot(page, "incident-list")
    page.goto(f"/admin/incidents/incident/{drill.incident.pk}/change/")
    expect(page.get_by_text("This is a practice incident of a drill.")).to_be_visible()
    screenshot(page, "incident-page")

    page.goto(f"/admin/drills/drill/{drill.pk}/change/")
    page.get_by_label("What went well").fill("Everyone was paged at once.")
    page.get_by_label("What to change").fill("Write the failover runbook.")
    page.get_by_role("button", name="End the drill and store the figures").click()
    page.goto(f"/admin/drills/drill/{drill.pk}/change/")
    expect(page.get_by_text("This drill has ended.")).to_be_visible()
    expect(page.get_by_text("0% (0 of 2 steps)")).to_be_visible()
    screenshot(page, "drill-ended")
    page.goto("/admin/drills/drill/")
    screenshot(page, "drill-list")


def test_the_end_user_taking_part_sees_the_practice_banner(
    page, screenshot, sign_in, reporter, template, start_drill
):
    incident = start_drill(template=template, end_user=reporter).incident
    sign_in(reporter)
    page.goto(incident.get_absolute_url())
    expect(page.get_by_text("Practice only.")).to_be_visible()
    screenshot(page, "portal")
