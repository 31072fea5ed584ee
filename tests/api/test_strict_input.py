import pytest

from incidents.models import Incident
from tests.api.conftest import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": 5}, "title"),
        ({"title": "ok", "impact": 1}, "impact"),
        ({"title": "ok", "major": 1}, "major"),
        ({"title": "ok", "category": "3"}, "category"),
        ({"title": "ok", "category": True}, "category"),
        ({"title": "ok", "service": ""}, "service"),
    ],
)
def test_json_values_of_the_wrong_type_are_400_not_guessed(responder_api, body, field):
    response = responder_api.post(url("incidents/"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Incident.objects.exists()


def test_a_json_version_must_be_a_number(responder_api, incident):
    response = responder_api.patch(
        url(f"incidents/{incident.number}/"), {"title": "x", "version": "1"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_null_clears_an_optional_relation(responder_api, incident):
    response = responder_api.patch(
        url(f"incidents/{incident.number}/"),
        {"service": None, "version": incident.version},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["service"] is None
