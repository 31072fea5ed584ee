"""Two-factor sign-in (TOTP and recovery codes, django-otp) for accounts that sign in with
a password; codes are computed with pyotp, independently of the code under test."""

from base64 import b32encode

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def sign_in(client, user, password, path="/admin/login/"):
    response = client.post(path, {"username": user.username, "password": password})
    assert response.status_code == 302, response.content[:300]
    return response


def totp_now(device) -> str:
    return pyotp.TOTP(b32encode(device.bin_key).decode()).now()


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    setup = client.get("/accounts/two-factor/")
    assert setup.status_code == 200 and not TOTPDevice.objects.exists()
    code = pyotp.TOTP(setup.context["secret"]).now()
    page = client.post("/accounts/two-factor/", {"code": code})
    assert page.status_code == 200 and b"Your recovery codes" in page.content
    return TOTPDevice.objects.get(confirmed=True), list(page.context["codes"])


def test_staff_must_enrol_when_required(client, settings, responder, password):
    settings.ITSM_STAFF_2FA = True
    sign_in(client, responder, password)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?next=/admin/")
    assert client.get("/api/v1/incidents/").status_code == 403
    device, codes = enrol(client)
    assert len(codes) == 10 and TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/admin/").status_code == 200


def test_end_users_are_not_asked_to_enrol(client, settings, reporter, password):
    settings.ITSM_STAFF_2FA = True
    sign_in(client, reporter, password, "/accounts/login/")
    assert client.get("/portal/").status_code == 200


def test_staff_are_not_asked_when_not_required(client, responder, password):
    sign_in(client, responder, password)
    assert client.get("/admin/").status_code == 200


def test_sign_in_with_a_code_from_the_app(client, responder, password):
    sign_in(client, responder, password)
    device, _ = enrol(client)
    client.post("/accounts/logout/")

    sign_in(client, responder, password)
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/verify/")
    wrong = client.post("/accounts/two-factor/verify/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 200 and b"not right" in wrong.content
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    device.refresh_from_db()
    device.last_t = -1  # the enrolment code's time step may still be current
    device.save()
    right = client.post(
        "/accounts/two-factor/verify/", {"code": totp_now(device), "next": "/admin/"}
    )
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_sign_in_with_a_recovery_code_works_once(client, responder, password):
    sign_in(client, responder, password)
    _, codes = enrol(client)
    client.post("/accounts/logout/")

    sign_in(client, responder, password)
    used = client.post("/accounts/two-factor/verify/", {"code": codes[0].upper()})
    assert used.status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/accounts/logout/")

    sign_in(client, responder, password)
    again = client.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert again.status_code == 200 and b"already used" in again.content
    assert client.get("/admin/").status_code == 302


def test_sso_sign_ins_are_not_asked_for_a_second_factor(sso, client, settings):
    settings.ITSM_STAFF_2FA = True
    response = sso(client, "rita")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
