"""The incident list costs the same number of queries for 5 rows as for 50."""

import pytest

from incidents import services
from incidents.choices import Channel
from incidents.models import Category
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
    with django_assert_max_num_queries(LIST_QUERIES):
        response = reporter_api.get(url("incidents/?page_size=100&status=acknowledged"))
    assert len(response.json()["results"]) == rows
