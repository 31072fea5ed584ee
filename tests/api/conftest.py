"""API clients per persona, each authenticated with its own Bearer token."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Throttle counters live in the cache; each test starts with a full budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for(db):
    """`client_for(user)`: an APIClient sending a fresh token of `user`."""

    def make(user, **token_fields):
        _, secret = api_token_create(user=user, name="tests", **token_fields)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        client.token = secret
        return client

    return make


@pytest.fixture
def reporter_api(client_for, reporter):
    return client_for(reporter)


@pytest.fixture
def other_reporter_api(client_for, other_reporter):
    return client_for(other_reporter)


@pytest.fixture
def responder_api(client_for, responder):
    return client_for(responder)


@pytest.fixture
def manager_api(client_for, manager):
    return client_for(manager)


def url(path: str) -> str:
    return f"/api/v1/{path.lstrip('/')}"


def webhook_form(**fields) -> dict:
    """The admin's add form of a webhook endpoint, with no delivery inline rows."""
    form = {"name": "Chat", "url": "https://chat.example.com/hook", "events": "[]"}
    form.update(fields, **{"deliveries-TOTAL_FORMS": "0", "deliveries-INITIAL_FORMS": "0"})
    return form
