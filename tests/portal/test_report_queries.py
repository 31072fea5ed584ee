"""What reporting a problem costs the database: the same however many incidents are open."""

import pytest
from django.db import connection
from django.urls import reverse

from incidents.models import Incident

pytestmark = pytest.mark.django_db
URL = reverse("portal:report")

# On PostgreSQL the incident's INSERT draws its own number; elsewhere one UPDATE ...
# RETURNING before it.
NUMBER = 0 if connection.vendor == "postgresql" else 1
# 1. the session, 2. the user, 3. the incident (with its number), 4. its history row, 5. the
# "created" event (the outbox), plus the transaction around 3.-5. (a savepoint and its
# release here, where each test runs in a transaction), plus the number where it is drawn
# apart. The chosen service, the priority matrix and the SLA policies come from the cache,
# as after any earlier report (cold, they cost three more queries).
CONFIRMED_REPORT = 7 + NUMBER
# The session and the user, then the "already known" offer: 3. the five ongoing incidents
# of the service (a partial index walk, whatever the backlog), 4. the knowledge articles
# the title suggests (knowledge.selectors.suggested_articles, one ranked query), 5.-6.
# which of the incidents the reporter already follows (the ids of theirs, then the match),
# 7. the public incident templates offered beside the form, 8. the services for the form,
# shown again. The chosen service comes from the cache, as after an earlier look at the
# offer (cold, one more query). Nothing is created.
OFFER = 8


@pytest.mark.parametrize("open_incidents", [2, 40])
def test_a_confirmed_report_costs_the_same_queries_whatever_is_open(
    alice, report_data, make_incident, service, open_incidents, django_assert_num_queries
):
    for _ in range(open_incidents):
        make_incident(service=service, impact="high")
    alice.post(URL, {**report_data, "confirm_new": "True"})  # an earlier report: warm caches
    with django_assert_num_queries(CONFIRMED_REPORT):
        response = alice.post(URL, {**report_data, "confirm_new": "True"})
    assert response.status_code == 302
    assert Incident.objects.count() == open_incidents + 2


@pytest.mark.parametrize("open_incidents", [2, 40])
def test_the_already_known_offer_costs_the_same_queries_whatever_is_open(
    alice, report_data, make_incident, service, open_incidents, django_assert_num_queries
):
    for _ in range(open_incidents):
        make_incident(service=service, impact="high")
    alice.post(URL, report_data)  # an earlier look at the offer: warm caches
    with django_assert_num_queries(OFFER):
        response = alice.post(URL, report_data)
    assert response.status_code == 200 and len(response.context["known"]) == min(open_incidents, 5)
    assert Incident.objects.count() == open_incidents


# "Not sure" which service: after the "created" event, the "routed" event (the
# fallback team); the routing rules and the fallback team come from the routing cache,
# warmed by an earlier report (cold, they cost two more queries).
NO_SERVICE_REPORT = CONFIRMED_REPORT + 1


def test_a_report_on_no_particular_service_is_routed_without_extra_reads(
    alice, report_data, django_assert_num_queries
):
    data = {**report_data, "service": "", "confirm_new": "True"}
    alice.post(URL, data)  # warms the routing cache
    with django_assert_num_queries(NO_SERVICE_REPORT):
        response = alice.post(URL, data)
    assert response.status_code == 302
    assert Incident.objects.filter(team__slug="service-desk").count() == 2
