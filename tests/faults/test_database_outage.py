"""Database outage, on the production topology: gunicorn with persistent connections, the
database behind a proxy the test cuts. Every door answers 503 quickly (the API in its JSON
shape, pages as the styled page), nothing is half saved, and everything works again when
the database is back, without a restart."""

import json

import pytest

from api.services import api_token_create
from incidents.models import Incident
from integrations import services
from integrations.models import Delivery
from integrations.services import integration_create
from tests.faults.conftest import portal_report, session_headers
from tests.integrations.conftest import ALERTMANAGER_URL, generated

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

UNAVAILABLE = "The service desk is temporarily unavailable; nothing you submitted was lost"


@pytest.fixture
def doors(app_server, service, reporter, responder):
    """What each door needs: a signed-in end user and responder, an API token, an
    Alertmanager integration."""
    _, api_token = api_token_create(user=responder, name="ops bot")
    _, alert_token = integration_create(kind="alertmanager", name="Prom", default_service=service)
    return {
        "portal": session_headers(reporter),
        "admin": session_headers(responder),
        "api": {"Authorization": f"Bearer {api_token}"},
        "alerts": {"Authorization": f"Bearer {alert_token}", "Content-Type": "application/json"},
    }


def pages(doors) -> dict:
    return {
        "/portal/": doors["portal"],
        "/portal/report/": doors["portal"],
        "/status/": {},
        "/admin/": doors["admin"],
        "/api/v1/incidents/": doors["api"],
    }


def alert(server, doors):
    payload = json.dumps(generated("DiskFull", {"fingerprint": "f1", "service": "vpn"}))
    return server.request("POST", ALERTMANAGER_URL, payload.encode(), **doors["alerts"])


def test_every_door_answers_503_quickly_while_the_database_is_down_and_recovers_after(
    app_server, database_proxy, doors, service, record_property
):
    for path, headers in pages(doors).items():  # warm: persistent connection open
        if path == "/status/":
            continue  # a status page cached before the cut is served for its 10 s: not here
        assert app_server.request("GET", path, **headers)[0] == 200, path

    database_proxy.down()
    figures = {}
    for path, headers in pages(doors).items():
        status, response_headers, body, seconds = app_server.request("GET", path, **headers)
        figures[path] = (status, round(seconds, 2))
        assert status == 503, path
        assert response_headers["Retry-After"] == "30"
        assert seconds < 5, path
        if path.startswith("/api/"):
            assert response_headers["Content-Type"] == "application/json"
            assert json.loads(body)["code"] == "unavailable"
            assert json.loads(body)["status"] == 503
        else:
            assert UNAVAILABLE in body.decode()
            assert "Traceback" not in body.decode() and "psycopg" not in body.decode()
    status, headers, body, seconds = portal_report(
        app_server, doors["portal"], "Printer on fire", service
    )
    figures["POST /portal/report/"] = (status, round(seconds, 2))
    assert status == 503 and UNAVAILABLE in body.decode()
    status, headers, _, seconds = alert(app_server, doors)
    figures["POST alertmanager"] = (status, round(seconds, 2))
    assert (status, headers["Retry-After"]) == (503, "30")
    assert app_server.request("GET", "/healthz")[0] == 200
    status, _, body, seconds = app_server.request("GET", "/readyz")
    figures["/readyz"] = (status, round(seconds, 2))
    assert (status, json.loads(body)["missing"]) == (503, ["database"])

    database_proxy.blackhole()  # the host is gone silent: the connect timeout answers
    status, _, _, seconds = app_server.request("GET", "/status/")
    figures["/status/ (silent host)"] = (status, round(seconds, 2))
    assert status == 503 and seconds < 6

    database_proxy.up()
    for path, headers in pages(doors).items():
        assert app_server.request("GET", path, **headers)[0] == 200, path
    assert alert(app_server, doors)[0] == 200  # Alertmanager's retry
    assert app_server.request("GET", "/readyz")[0] == 200
    assert Delivery.objects.waiting().count() == 1  # stored; no worker runs here
    services.deliveries_drain()
    assert Incident.objects.filter(title__contains="DiskFull").count() == 1
    assert not Incident.objects.filter(title="Printer on fire").exists()
    record_property("outage_figures", figures)
    print("database outage (status, seconds):", figures)


def test_connections_carry_connect_and_statement_timeouts(database_proxy):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "10s"
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == 3
