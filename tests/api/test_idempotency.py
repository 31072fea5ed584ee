import pytest

from api.models import IdempotencyKey
from incidents.models import Incident
from tests.api.conftest import url

pytestmark = pytest.mark.django_db

BODY = {"title": "Printer on fire", "impact": "high"}


def create(client, key, body=BODY):
    return client.post(url("incidents/"), body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retried_create_returns_the_first_incident_instead_of_a_second(reporter_api):
    first = create(reporter_api, "6f1c0a4e-retry")
    again = create(reporter_api, "6f1c0a4e-retry")
    assert first.status_code == again.status_code == 201
    assert again.json()["number"] == first.json()["number"]
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Incident.objects.count() == 1


def test_keys_are_scoped_per_user(reporter_api, other_reporter_api):
    mine = create(reporter_api, "same-key").json()["number"]
    theirs = create(other_reporter_api, "same-key").json()["number"]
    assert mine != theirs
    assert Incident.objects.count() == 2


def test_a_new_key_creates_a_new_incident(reporter_api):
    create(reporter_api, "key-1")
    create(reporter_api, "key-2")
    assert Incident.objects.count() == 2


def test_reusing_a_key_with_another_body_is_422_and_creates_nothing(reporter_api):
    create(reporter_api, "key-1")
    response = create(reporter_api, "key-1", {"title": "Something else"})
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Incident.objects.count() == 1


def test_a_failed_create_does_not_burn_the_key(reporter_api):
    assert create(reporter_api, "key-1", {"title": ""}).status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert create(reporter_api, "key-1").status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9"])
def test_an_unusable_key_is_400(reporter_api, key):
    response = create(reporter_api, key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Incident.objects.exists()
