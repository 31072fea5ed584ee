"""Searching the workspace list: words in any form, people by name, numbers at once, and
nothing a responder types breaks the page."""

import pytest
from django.urls import reverse

from tests.admin.conftest import CHANGELIST
from tests.admin.test_query_counts import ADMIN_REQUEST
from tests.incidents.test_search import HOSTILE

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    return [incident.number for incident in response.context["cl"].result_list]


@pytest.fixture
def client(login, responder):
    return login(responder)


def test_words_are_found_however_they_are_written(client, make_incident):
    wifi = make_incident(title="Wi-Fi drops in building 7")
    printers = make_incident(title="Printers offline", description="Floor 3")
    make_incident(title="Mail bounces")
    assert numbers(client.get(reverse(CHANGELIST), {"q": "wifi"})) == [wifi.number]
    assert numbers(client.get(reverse(CHANGELIST), {"q": "printer floor"})) == [printers.number]


def test_a_search_finds_a_reporters_incidents_and_incidents_with_the_words(
    client, make_incident, other_reporter
):
    bobs = make_incident(title="Screen flickers", reporter=other_reporter)
    about_bob = make_incident(title="Bob cannot sign in")
    found = numbers(client.get(reverse(CHANGELIST), {"q": "bob"}))
    assert sorted(found) == sorted([bobs.number, about_bob.number])


def test_hostile_searches_answer_a_page(client, make_incident):
    make_incident(title="Printer jam")
    for text in HOSTILE:
        response = client.get(reverse(CHANGELIST), {"q": text})
        assert response.status_code == 200, text[:40]


@pytest.mark.parametrize("rows", [3, 30])
def test_a_word_search_costs_one_query_more_than_the_list(
    client, make_incident, service, rows, django_assert_max_num_queries
):
    for n in range(rows):
        make_incident(title=f"Wi-Fi drops {n}", service=service)
    # The list's queries (see test_query_counts): 5.-8. the filters' choices, 9. the
    # count, 10. the page; and before them the people whose name or address has the words.
    expected = ADMIN_REQUEST + 7
    client.get(reverse(CHANGELIST), {"q": "wifi"})  # warm the per-process caches
    with django_assert_max_num_queries(expected):
        response = client.get(reverse(CHANGELIST), {"q": "wifi"})
    assert len(numbers(response)) == rows
