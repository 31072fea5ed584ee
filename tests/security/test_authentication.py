"""Signing in and tokens: brute-force lockout on both login pages (logged), a new session
key at every sign-in, deactivation ending sessions and tokens, secrets kept only as
digests, and integration tokens that open their own intake endpoints and nothing else."""

import hashlib
import json
import logging

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client

from api.models import ApiToken
from api.services import api_token_create
from integrations.services import integration_create

pytestmark = pytest.mark.django_db

LOGIN_PAGES = {"portal": "/accounts/login/", "admin": "/admin/login/"}


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_repeated_wrong_passwords_lock_the_account_out_and_say_so_in_the_log(
    page, axes_on, manager, password, caplog
):
    client, url = Client(), LOGIN_PAGES[page]
    with caplog.at_level(logging.WARNING, logger="axes"):
        for attempt in range(5):
            response = client.post(url, {"username": "manager", "password": f"guess-{attempt}"})
            assert response.status_code in (200, 429)
        locked = client.post(url, {"username": "manager", "password": password})
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    assert client.get("/admin/").status_code == 302  # still signed out


def test_a_lockout_on_one_page_holds_on_the_other(axes_on, manager, password):
    client = Client()
    for attempt in range(5):
        client.post(LOGIN_PAGES["portal"], {"username": "manager", "password": f"x{attempt}"})
    response = client.post(LOGIN_PAGES["admin"], {"username": "manager", "password": password})
    assert response.status_code == 429


def test_failed_attempts_never_store_the_password_tried(axes_on, reporter):
    from axes.models import AccessAttempt

    Client().post(LOGIN_PAGES["portal"], {"username": "alice", "password": "S3cret-typo!"})
    attempt = AccessAttempt.objects.get(username="alice")
    assert "S3cret-typo!" not in attempt.post_data


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(axes_on, reporter, password):
    client = Client()
    for attempt in range(4):
        client.post(LOGIN_PAGES["portal"], {"username": "alice", "password": f"x{attempt}"})
    response = client.post(LOGIN_PAGES["portal"], {"username": "alice", "password": password})
    assert response.status_code == 302 and response["Location"] == "/portal/"


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_signing_in_starts_a_new_session(page, manager, password):
    client, before = Client(), SessionStore()
    before["probe"] = "planted before sign-in"
    before.create()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = before.session_key
    response = client.post(LOGIN_PAGES[page], {"username": "manager", "password": password})
    assert response.status_code == 302
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before.session_key
    assert not Session.objects.filter(session_key=before.session_key).exists()


def test_deactivating_a_user_ends_their_sessions_and_tokens(reporter, other_reporter, world):
    laptop, phone, someone_else = Client(), Client(), Client()
    for client in (laptop, phone):
        client.force_login(reporter)
    someone_else.force_login(other_reporter)
    _, secret = api_token_create(user=reporter, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/users/me/").status_code == 200

    reporter.is_active = False
    reporter.save()

    for client in (laptop, phone):
        assert client.get("/portal/")["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/users/me/").status_code == 401
    assert ApiToken.objects.get(user=reporter).revoked_at is not None
    assert someone_else.get("/portal/").status_code == 200  # nobody else is signed out

    reporter.is_active = True
    reporter.save()
    assert laptop.get("/portal/").status_code == 302  # coming back means signing in again
    assert api.get("/api/v1/users/me/").status_code == 401


def test_deactivating_in_the_admin_ends_the_sessions_too(superuser, reporter):
    user_client, admin_client = Client(), Client()
    user_client.force_login(reporter)
    admin_client.force_login(superuser)
    page = admin_client.get(f"/admin/auth/user/{reporter.pk}/change/")
    assert page.status_code == 200
    data = {
        "username": reporter.username,
        "first_name": reporter.first_name,
        "last_name": "",
        "email": reporter.email,
        "date_joined_0": reporter.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": reporter.date_joined.strftime("%H:%M:%S"),
    }  # is_active left out: the box is unticked
    response = admin_client.post(f"/admin/auth/user/{reporter.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    reporter.refresh_from_db()
    assert not reporter.is_active
    assert user_client.get("/portal/").status_code == 302


def _every_stored_text() -> str:
    """Every text value in the database, joined: where a leaked secret would be found."""
    chunks = []
    for model in apps.get_models():
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model.objects.values_list(*text_fields) if text_fields else []:
            chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


def test_api_and_integration_tokens_are_stored_only_as_digests(reporter, service):
    token, api_secret = api_token_create(user=reporter, name="script")
    integration, intake_secret = integration_create(kind="events", name="Zabbix")
    stored = _every_stored_text()
    for secret in (api_secret, intake_secret):
        assert secret not in stored
        assert secret[12:] not in stored  # nor the part after the visible prefix
    assert token.digest == hashlib.sha256(api_secret.encode()).hexdigest()
    assert integration.token_digest == hashlib.sha256(intake_secret.encode()).hexdigest()


@pytest.fixture
def intake_tokens(service):
    _, alertmanager = integration_create(kind="alertmanager", name="Prometheus")
    _, events = integration_create(kind="events", name="Zabbix", default_service=service)
    return {"alertmanager": alertmanager, "events": events}


def _post(url, token, body=None):
    return Client().post(
        url,
        json.dumps(body or {}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


EVENT = {
    "event_action": "trigger",
    "payload": {"summary": "Disk full", "source": "db-1", "severity": "error"},
}


def test_integration_tokens_work_only_on_their_own_intake_endpoint(intake_tokens):
    alertmanager, events = intake_tokens["alertmanager"], intake_tokens["events"]
    assert _post("/api/v1/events/", events, EVENT).status_code == 202
    assert _post("/api/v1/events/", alertmanager, EVENT).status_code == 403
    assert _post("/api/v1/integrations/alertmanager/", events).status_code == 403
    for token in (alertmanager, events):
        assert _post("/api/v1/integrations/heartbeat/", token).status_code == 200
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        assert client.get("/api/v1/incidents/").status_code == 401
        assert client.get("/api/v1/users/me/").status_code == 401
        assert client.get("/portal/").status_code == 302
        assert client.get("/admin/").status_code == 302


def test_a_personal_api_token_opens_no_intake_endpoint(manager):
    _, secret = api_token_create(user=manager, name="script")
    for url in (
        "/api/v1/events/",
        "/api/v1/integrations/alertmanager/",
        "/api/v1/integrations/heartbeat/",
    ):
        assert _post(url, secret, EVENT).status_code == 401, url


def test_a_switched_off_integration_is_refused(intake_tokens):
    from integrations.models import Integration

    Integration.objects.filter(kind="events").update(active=False)
    assert _post("/api/v1/events/", intake_tokens["events"], EVENT).status_code == 403


def test_an_integrations_service_user_cannot_sign_in(intake_tokens):
    from integrations.models import Integration

    user = Integration.objects.get(kind="events").service_user
    assert not user.is_active and not user.has_usable_password()
    client = Client()
    response = client.post(LOGIN_PAGES["admin"], {"username": user.username, "password": ""})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_signing_in_never_redirects_to_another_site(page, target, manager, password):
    response = Client().post(
        f"{LOGIN_PAGES[page]}?next={target}", {"username": "manager", "password": password}
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil.example" not in location and "javascript" not in location


def test_following_a_service_never_redirects_to_another_site(browser_for, service):
    client = browser_for("alice")
    for target in ("https://evil.example/", "//evil.example/"):
        response = client.post(f"/notifications/services/{service.slug}/", {"next": target})
        assert response.status_code == 302 and "evil.example" not in response["Location"]
