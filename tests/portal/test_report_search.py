"""A report on no particular service ("not sure") is offered the ongoing incidents that
sound like its title, found by the incidents module's search."""

import pytest
from django.urls import reverse

from incidents.models import Incident
from tests.incidents.test_search import HOSTILE

pytestmark = pytest.mark.django_db
URL = reverse("portal:report")


@pytest.fixture
def unsure(report_data):
    return {**report_data, "service": "", "title": "Wifi keeps dropping"}


def test_an_ongoing_incident_that_sounds_alike_is_offered(
    alice, unsure, make_incident, other_reporter, service
):
    known = make_incident(title="Wi-Fi drops", reporter=other_reporter, service=service)
    page = alice.post(URL, unsure).content.decode()
    assert "This may already be known" in page and known.number in page
    assert "that sounds like yours" in page
    assert Incident.objects.count() == 1


def test_nothing_alike_creates_the_incident_at_once(alice, unsure, make_incident, service):
    make_incident(title="Printer jam", service=service)
    response = alice.post(URL, {**unsure, "title": "Payroll export fails"})
    assert response.status_code == 302
    assert Incident.objects.count() == 2


def test_an_incident_affecting_only_its_reporter_is_not_offered_by_its_words(
    alice, unsure, make_incident, other_reporter, service
):
    make_incident(title="Wi-Fi drops", reporter=other_reporter, service=service, impact="low")
    assert alice.post(URL, unsure).status_code == 302


def test_the_offer_lists_at_most_five_closest_first(
    alice, unsure, make_incident, other_reporter, service
):
    for n in range(4):
        make_incident(title=f"Printer {n}", description="Wifi", service=service, impact="high")
    close = [make_incident(title=f"Wi-Fi drops {n}", service=service) for n in range(3)]
    known = alice.post(URL, unsure).context["known"]
    assert len(known) == 5
    assert {incident.number for incident in known[:3]} == {i.number for i in close}


@pytest.mark.parametrize("alike", [2, 12])
def test_the_offer_costs_the_same_queries_whatever_matches(
    alice, unsure, make_incident, service, alike, django_assert_num_queries
):
    for n in range(alike):
        make_incident(title=f"Wi-Fi drops {n}", service=service)
    # 1. the session, 2. the user, 3. the ongoing incidents with all the words or a title
    # like them (at most five, ranked among a bounded few), 4. any-word matches to fill up
    # to five (here: more are needed with 2), 5.-6. which of them the reporter follows,
    # 7. the knowledge articles the title suggests, 8. the services for the form, 9. the
    # public incident templates offered beside it.
    alice.post(URL, {**unsure, "title": "wifi drops"})  # an earlier look: warm caches
    with django_assert_num_queries(9 if alike < 5 else 8):
        response = alice.post(URL, {**unsure, "title": "wifi drops"})
    assert len(response.context["known"]) == min(alike, 5)


def test_hostile_titles_get_an_answer(alice, unsure, make_incident, service, settings):
    settings.ITSM_REPORT_RATE_LIMIT = 0  # more reports than an hour allows
    make_incident(title="Wi-Fi drops", service=service)
    for text in HOSTILE:
        response = alice.post(URL, {**unsure, "title": text[:200]})
        assert response.status_code in (200, 302), text[:40]
