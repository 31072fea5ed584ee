"""Single sign-on in headless Chromium, through the real provider's pages."""

import re

import pytest
from django.contrib.auth import get_user_model

from incidents.roles import RESPONDERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def through_the_provider(page, login: str) -> None:
    page.get_by_role("link", name="Sign in with Example ID").click()
    page.locator("input[name=login]").fill(login)
    page.get_by_role("button", name="Sign in").click()


def test_a_responder_signs_in_with_the_provider_and_lands_in_the_admin(
    browser_sso, page, screenshot
):
    page.goto("/admin/login/")
    screenshot(page, "admin-login-with-sso")
    through_the_provider(page, "rita")
    page.wait_for_url(re.compile(r"/admin/$"))
    user = get_user_model().objects.get(email="rita@example.com")
    assert user.is_staff and list(user.groups.values_list("name", flat=True)) == [RESPONDERS]
    assert "Responder workspace" in page.content()


def test_someone_in_no_mapped_group_lands_in_the_portal(browser_sso, page, screenshot):
    page.goto("/accounts/login/")
    screenshot(page, "portal-login-with-sso")
    through_the_provider(page, "eve")
    page.wait_for_url(re.compile(r"/portal/$"))
    assert not get_user_model().objects.get(email="eve@example.com").is_staff
