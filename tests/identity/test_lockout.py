"""django-axes keeps locking out password guessing with the single sign-on backend
installed, and failed provider sign-ins lock nobody out."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


def test_password_guessing_is_still_locked_out(sso, axes_on, manager, password):
    client = Client()
    for attempt in range(5):
        client.post("/accounts/login/", {"username": "manager", "password": f"guess-{attempt}"})
    locked = client.post("/admin/login/", {"username": "manager", "password": password})
    assert locked.status_code == 429 and "_auth_user_id" not in client.session


def test_failed_provider_sign_ins_record_no_failed_attempt(sso, axes_on, settings):
    settings.OIDC_ALLOWED_GROUPS = ["nobody-is-in-this"]
    client = Client()
    for _ in range(6):
        assert sso(client, "rita").status_code == 403
    settings.OIDC_ALLOWED_GROUPS = []
    assert sso(client, "rita").status_code == 302
    assert not AccessAttempt.objects.exists()
