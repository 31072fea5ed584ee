"""API error messages in the language the client asks for; data stays ISO 8601."""

from datetime import datetime

import pytest

from tests.api.conftest import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def responder_api(responder):
    from rest_framework.test import APIClient

    from api.services import api_token_create

    _, secret = api_token_create(user=responder, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_refused_transition_is_explained_in_german(responder_api, incident):
    response = responder_api.post(
        url(f"incidents/{incident.number}/resume/"), {}, format="json", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition"  # stable for programs
    assert body["message"] == (f"{incident.number} kann nicht fortgesetzt werden: Status ist neu.")


def test_field_errors_and_not_found_in_german(responder_api, incident):
    response = responder_api.post(
        url(f"incidents/{incident.number}/resolve/"),
        {"resolution_code": "nope", "resolution_notes": "x"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    message = response.json()["errors"]["resolution_code"][0]
    assert message.startswith("Wählen Sie einen Lösungscode (")
    missing = responder_api.get(url("incidents/INC9999999/"), HTTP_ACCEPT_LANGUAGE="de")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Nicht gefunden, oder Sie dürfen es nicht sehen."


def test_the_same_error_in_english_without_accept_language(responder_api, incident):
    response = responder_api.post(url(f"incidents/{incident.number}/resume/"), {}, format="json")
    assert response.json()["message"].endswith("cannot be resumed: it is new.")


def test_dates_in_the_api_stay_iso_8601_with_an_offset_whatever_the_language(
    responder_api, incident
):
    body = responder_api.get(url(f"incidents/{incident.number}/"), HTTP_ACCEPT_LANGUAGE="fr").json()
    opened = datetime.fromisoformat(body["opened_at"].replace("Z", "+00:00"))
    assert opened.tzinfo is not None
