from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.models.tokens import token_digest
from api.services import api_token_create, api_token_revoke
from tests.api.conftest import url

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_request_without_credentials_is_401_with_a_bearer_challenge():
    response = APIClient().get(url("incidents/"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


def test_a_valid_token_authenticates_as_its_owner(reporter):
    _, secret = api_token_create(user=reporter, name="script")
    response = bearer(secret).get(url("users/me/"))
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert response.json()["role"] == "end_user"


def test_only_a_digest_of_the_token_is_stored(reporter):
    token, secret = api_token_create(user=reporter, name="script")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.digest, stored.prefix, stored.name)
    assert stored.digest == token_digest(secret)
    assert secret.startswith(stored.prefix)


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer not-a-token", "Bearer a b", "bearer itsm_forged"],
)
def test_a_malformed_or_unknown_token_is_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(url("incidents/"))
    assert response.status_code == 401
    assert set(response.json()) >= {"status", "code", "message"}


def test_a_revoked_token_stops_working_at_once(reporter):
    token, secret = api_token_create(user=reporter, name="script")
    client = bearer(secret)
    assert client.get(url("users/me/")).status_code == 200
    assert api_token_revoke(token=token) is True
    assert client.get(url("users/me/")).status_code == 401
    assert api_token_revoke(token=token) is False


def test_an_expired_token_is_refused(reporter):
    _, secret = api_token_create(
        user=reporter, name="old", expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert bearer(secret).get(url("users/me/")).status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(reporter):
    _, secret = api_token_create(user=reporter, name="script")
    reporter.is_active = False
    reporter.save()
    assert bearer(secret).get(url("users/me/")).status_code == 401


def test_use_is_recorded_on_the_token(reporter):
    token, secret = api_token_create(user=reporter, name="script")
    assert token.last_used_at is None
    bearer(secret).get(url("users/me/"))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_session_login_works_for_the_browsable_api(client, reporter, password):
    client.login(username="alice", password=password)
    response = client.get(url("incidents/"), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Incident" in response.content


def test_create_api_token_prints_a_working_token_as_the_last_line(reporter, capsys):
    call_command("create_api_token", "alice", "--name", "chat bot", "--expires-days", "30")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(digest=token_digest(secret))
    assert token.name == "chat bot" and token.expires_at > timezone.now() + timedelta(days=29)
    assert bearer(secret).get(url("users/me/")).json()["username"] == "alice"


def test_create_api_token_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user named"):
        call_command("create_api_token", "nobody")
