"""GET /api/v1/metrics/: the same figures as the reports page, for responders only."""

import pytest
import time_machine
from rest_framework.test import APIClient

from api.services import api_token_create
from tests.metrics.conftest import NOW

pytestmark = pytest.mark.django_db
URL = "/api/v1/metrics/"
RANGE = {"from": "2026-03-01", "to": "2026-03-07"}


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api_as():
    def client(user):
        _, secret = api_token_create(user=user, name="metrics")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return api

    return client


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_responder_gets_the_summary_and_the_figures_over_time(api_as, responder, week, at_now):
    body = api_as(responder).get(URL, RANGE).json()
    assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-07")
    assert body["units"] == {"durations": "seconds", "rates": "percent"}
    summary = body["summary"]
    assert (summary["opened"], summary["resolved"]) == (5, 4)
    assert summary["mtta_mean"] == 5400.0 and summary["mtta_median"] == 1500.0
    assert summary["mttr_mean"] == 245700.0 and summary["mttr_median"] == 32400.0
    assert (summary["sla_response_pct"], summary["sla_resolution_pct"]) == (40.0, 40.0)
    assert summary["reopen_rate_pct"] == 33.3
    assert body["period"] == "day"
    assert [(p["key"], p["opened"]) for p in body["periods"]][:3] == [
        ("2026-03-01", 0),
        ("2026-03-02", 1),
        ("2026-03-03", 1),
    ]


@pytest.mark.parametrize(
    "group_by, expected",
    [
        ("service", {"E-mail": 3, "VPN": 2}),
        ("team", {"Network": 2, "Service desk": 3}),  # E-mail has no owner: the fallback
        ("priority", {"P1 - Critical": 2, "P2 - High": 1, "P3 - Moderate": 2}),
        ("category", {"(none)": 5}),
    ],
)
def test_figures_group_by_service_team_priority_and_category(
    api_as, responder, week, at_now, group_by, expected
):
    body = api_as(responder).get(URL, {**RANGE, "group_by": group_by}).json()
    assert body["group_by"] == group_by and "periods" not in body
    assert {group["label"]: group["opened"] for group in body["groups"]} == expected


def test_a_session_works_too(client, responder, week, at_now):
    client.force_login(responder)
    assert client.get(URL, RANGE).json()["summary"]["opened"] == 5


@pytest.mark.parametrize(
    "params, field",
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-03-07", "to": "2026-03-01"}, "to"),
        ({"group_by": "colour"}, "group_by"),
        ({"period": "year"}, "period"),
        ({"service": "abc"}, "service"),
        ({"service": "99999999999999999999999"}, "service"),
        ({"from": "9999-12-30", "to": "9999-12-31"}, "non_field_errors"),
        ({"to": "0001-01-02"}, "non_field_errors"),
        ({"to": ""}, "to"),
        ({"group_by": " "}, "group_by"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(api_as, responder, params, field):
    response = api_as(responder).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_end_users_are_refused(api_as, reporter):
    response = api_as(reporter).get(URL)
    assert response.status_code == 403
    assert "responders" in response.json()["message"]


def test_anonymous_callers_must_authenticate(client):
    assert client.get(URL).status_code in (401, 403)
    assert APIClient().get(URL, HTTP_AUTHORIZATION="Bearer nope").status_code == 401
