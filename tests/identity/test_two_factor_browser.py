"""Two-factor sign-in in headless Chromium: enrolment with a code computed from the shown
key, then a sign-in with a recovery code (sign-in with an app code: test_two_factor.py)."""

import re

import pyotp
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_sign_in(page, user, password):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_staff_enrol_with_a_computed_code_then_sign_in_with_a_recovery_code(
    page, screenshot, settings, responder, password
):
    settings.ITSM_STAFF_2FA = True
    password_sign_in(page, responder, password)
    page.wait_for_url(re.compile(r"/accounts/two-factor/\?next="))
    screenshot(page, "enrol")
    secret = page.locator("code").first.inner_text()
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.context.clear_cookies()
    password_sign_in(page, responder, password)
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert "Responder workspace" in page.content()
