"""What each door answers when the database cannot be reached, in process (any database):
the API its JSON error with Retry-After, pages the styled 503 page, the probes their
verdicts. `test_database_outage.py` proves the same on gunicorn and a real outage."""

import json
from unittest import mock

import pytest
from django.db import OperationalError

from api.services import api_token_create
from itsm.outage import server_error

pytestmark = pytest.mark.django_db

UNAVAILABLE = "The service desk is temporarily unavailable; nothing you submitted was lost"


def database_down():
    return mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("connection refused"),
    )


@pytest.mark.parametrize(
    "path, persona",
    [
        ("/status/", None),
        ("/portal/", "reporter"),
        ("/portal/report/", "reporter"),
        ("/admin/", "responder"),
    ],
)
def test_pages_answer_the_styled_503_page_without_internals(client, request, path, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    with database_down():
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert UNAVAILABLE in page and "portal.css" in page
    assert "connection refused" not in page and "OperationalError" not in page


def test_the_api_answers_503_in_its_json_error_shape(client, responder):
    _, token = api_token_create(user=responder, name="bot")
    with database_down():
        response = client.get("/api/v1/incidents/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    body = response.json()
    assert (body["status"], body["code"]) == (503, "unavailable")
    assert "connection refused" not in body["message"]


def test_the_500_handler_answers_503_for_an_outage_and_500_for_anything_else(rf):
    for error, status in ((OperationalError("gone"), 503), (RuntimeError("bug"), 500)):
        try:
            raise error
        except Exception:
            assert server_error(rf.get("/portal/")).status_code == status


def test_liveness_answers_while_the_database_is_down_and_readiness_names_it(client):
    with database_down():
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unreachable", "broker": "ok"},
        "missing": ["database"],
    }


def test_readiness_names_an_unreachable_broker(client, settings):
    from itsm.celery import app

    with mock.patch.object(app, "connection_for_write", side_effect=ConnectionRefusedError()):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["missing"] == ["broker"]


def test_readiness_is_200_when_database_and_broker_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok"}}
    assert response["Cache-Control"] == "no-store"


def test_probes_answer_any_host_over_plain_http_without_signing_in(client, settings):
    settings.ALLOWED_HOSTS = ["itsm.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.1.2.3").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.1.2.3").status_code == 200


def test_a_report_cut_off_by_the_database_mid_save_is_refused_and_nothing_is_kept(
    client, reporter, service
):
    from incidents.models import Incident

    client.force_login(reporter)
    form = {"title": "Printer on fire", "description": "Smoke.", "service": service.pk}
    form.update(impact="medium", urgency="medium", confirm_new="on")
    with mock.patch(
        "incidents.services.lifecycle.record_event",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = client.post("/portal/report/", form)
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    assert "it was not saved" in response.content.decode()
    assert not Incident.objects.filter(title="Printer on fire").exists()
