"""The incident list costs the same number of queries for 5 rows as for 50."""

import pytest
from django.db import connection

from incidents import services
from incidents.choices import Channel
from incidents.models import Category, Incident
from tests.api.conftest import url

pytestmark = pytest.mark.django_db

# 1 token + user, 1 last-used stamp, 2 user and group permissions (role check in
# visible_to), 1 incident page (with service, team and category joined; the SLA state is
# computed from the row), 2 assignees and reporters of the page, by id.
LIST_QUERIES = 7


def fill(count, make_incident, service, team, responder):
    """Incidents with every relation the list shows filled in, acknowledged by staff."""
    category = Category.objects.create(name="Network")
    for _ in range(count):
        incident = make_incident(service=service, team=team, category=category, assignee=responder)
        services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)


@pytest.mark.parametrize("rows", [5, 50])
def test_the_incident_list_has_a_constant_query_count(
    rows, responder_api, make_incident, service, team, responder,
    django_assert_max_num_queries,
):  # fmt: skip
    fill(rows, make_incident, service, team, responder)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = responder_api.get(url("incidents/?page_size=100"))
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_an_end_users_list_has_a_constant_query_count(
    rows, reporter_api, make_incident, service, team, responder,
    django_assert_max_num_queries,
):  # fmt: skip
    fill(rows, make_incident, service, team, responder)
    # and for an end user 6. the ids of their own incidents (reported or watched)
    with django_assert_max_num_queries(LIST_QUERIES + 1):
        response = reporter_api.get(url("incidents/?page_size=100&status=acknowledged"))
    assert len(response.json()["results"]) == rows


# 1. token + user, 2.-3. user and group permissions (staff fields allowed?), 4. the
# incident (on PostgreSQL its INSERT draws the number; elsewhere one statement more), 5. its
# history row, 6. the "created" event, 7.-8. the savepoint around 4.-6. and its release
# (the transaction; each test runs inside one). The answer
# is built from the incident just written, not read back. The service with its owner team
# (the answer's team), the priority matrix and the SLA policies come from the cache, and
# the token's last-used stamp is written at most once a minute: an earlier create did both.
# (With the shared cache the permissions come from it too: tests/security/
# test_permission_cache.py.)
CREATE_QUERIES = 8 if connection.vendor == "postgresql" else 9


@pytest.mark.parametrize("rows", [0, 30])
def test_creating_an_incident_costs_the_same_queries_whatever_exists(
    rows, responder_api, make_incident, service, team, responder, django_assert_num_queries
):
    fill(rows, make_incident, service, team, responder)
    body = {"title": "Disk full", "service": service.slug, "impact": "high", "urgency": "low"}
    responder_api.post(url("incidents/"), {**body, "title": "Printer jammed"}, format="json")
    with django_assert_num_queries(CREATE_QUERIES):
        response = responder_api.post(url("incidents/"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["team"] == team.slug and response.json()["sla_breached"] is False


def test_reading_one_incident_costs_a_fixed_number_of_queries(
    responder_api, make_incident, service, team, responder, django_assert_num_queries
):
    fill(3, make_incident, service, team, responder)
    number = Incident.objects.first().number
    # 1. token + user, 2. last-used stamp, 3.-4. permissions (visible_to), 5. the incident
    # with service, team and category (its SLA state computed from the row), 6.-7. its
    # assignee and reporter, 8. its satisfaction rating (staff only)
    with django_assert_num_queries(8):
        response = responder_api.get(url(f"incidents/{number}/"))
    assert response.status_code == 200
