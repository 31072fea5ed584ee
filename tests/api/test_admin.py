import re

import pytest

from api.models import ApiToken, WebhookEndpoint
from api.models.tokens import token_digest
from api.services import api_token_create
from tests.api.conftest import webhook_form

pytestmark = pytest.mark.django_db


def test_a_token_created_in_the_admin_shows_its_secret_once(client, superuser, reporter):
    client.force_login(superuser)
    response = client.post(
        "/admin/api/apitoken/add/", {"user": reporter.pk, "name": "chat bot"}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    [secret] = re.findall(r"<code>(itsm_[^<]+)</code>", page)
    token = ApiToken.objects.get()
    assert token.digest == token_digest(secret) and token.user == reporter
    page = client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert secret not in page and token.prefix in page


def test_tokens_are_revoked_from_the_admin_list(client, superuser, reporter):
    token, _ = api_token_create(user=reporter, name="old script")
    client.force_login(superuser)
    client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_managers_register_webhooks_in_the_admin_but_responders_cannot(client, manager, responder):
    client.force_login(manager)
    response = client.post(
        "/admin/api/webhookendpoint/add/", webhook_form(events='["created"]', active="on")
    )
    assert response.status_code == 302, response.content[:2000]
    assert WebhookEndpoint.objects.get().created_by == manager
    client.force_login(responder)
    assert client.get("/admin/api/webhookendpoint/").status_code == 403


def test_the_admin_refuses_unknown_event_kinds(client, manager):
    client.force_login(manager)
    response = client.post("/admin/api/webhookendpoint/add/", webhook_form(events='["exploded"]'))
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()


def test_only_superusers_see_api_tokens(client, manager):
    client.force_login(manager)
    assert client.get("/admin/api/apitoken/").status_code == 403
