"""The reports page in headless Chromium: charts render, nothing breaks the CSP."""

import importlib
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _default_rules(transactional_db):
    """Transactional tests empty every table when they end, and only the data migration
    creates the default hold reasons, resolution codes and SLA policies: put them back."""
    from django.apps import apps
    from django.db import connection

    defaults = importlib.import_module("incidents.migrations.0002_defaults")
    defaults.create_defaults(apps, SimpleNamespace(connection=connection))


def test_a_responder_sees_the_four_charts_and_can_filter(
    page, sign_in, screenshot, responder, week
):
    sign_in(responder)
    page.goto("/admin/reports/?start=2026-03-01&end=2026-03-07")
    expect(page.get_by_role("heading", name="Reports")).to_be_visible()
    charts = page.locator("svg.report-chart")
    expect(charts).to_have_count(4)
    for index in range(4):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 80
    expect(page.locator("svg.report-chart rect")).not_to_have_count(0)
    screenshot(page, "reports")
    page.get_by_label("Service", exact=False).and_(page.locator("select")).select_option(
        label="VPN"
    )
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".report-scope")).to_contain_text("VPN")
    screenshot(page, "reports-vpn")
