"""The incident list costs the same number of queries for 5 rows as for 50."""

import pytest

from incidents import services
from incidents.choices import Channel
from incidents.models import Category, Incident
from tests.api.conftest import url

pytestmark = pytest.mark.django_db

# 1 token + user, 1 last-used stamp, 2 user and group permissions (role check in
# visible_to), 1 incident page (with its relations and SLA state in the same SELECT).
LIST_QUERIES = 5


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


# 1. token + user, 2. the token's last-used stamp (at most once a minute), 3. the service
# by slug, 4.-5. user and group permissions (staff fields allowed?), 6. the next number,
# 7. the priority matrix cell, 8. the SLA policy, 9. the incident, 10. its history row,
# 11. the "created" event, 12.-13. the savepoint around 6.-11. and its release (the
# transaction; each test runs inside one), 14. the team for the answer (the answer is
# built from the incident just written, not read back).
CREATE_QUERIES = 14


@pytest.mark.parametrize("rows", [0, 30])
def test_creating_an_incident_costs_the_same_queries_whatever_exists(
    rows, responder_api, make_incident, service, team, responder, django_assert_num_queries
):
    fill(rows, make_incident, service, team, responder)
    body = {"title": "Disk full", "service": service.slug, "impact": "high", "urgency": "low"}
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
    # with its relations and SLA state
    with django_assert_num_queries(5):
        response = responder_api.get(url(f"incidents/{number}/"))
    assert response.status_code == 200
