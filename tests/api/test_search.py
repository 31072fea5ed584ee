"""The API's `search` filter: the incidents module's search, within what the token's user
may see; hostile text is a result or a clear 400, never a 500."""

import pytest

from tests.api.conftest import url
from tests.incidents.test_search import HOSTILE

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


def test_search_finds_words_in_any_form(responder_api, make_incident):
    wifi = make_incident(title="Wi-Fi drops in building 7")
    jam = make_incident(title="Printer jam", description="Tray 2")
    assert numbers(responder_api.get(url("incidents/"), {"search": "wifi"})) == [wifi.number]
    assert numbers(responder_api.get(url("incidents/"), {"search": "printers"})) == [jam.number]
    assert numbers(responder_api.get(url("incidents/"), {"search": "jam tray"})) == [jam.number]


def test_search_by_number_finds_only_that_incident(responder_api, make_incident):
    first = make_incident(title="Mail bounces")
    make_incident(title=f"Same as {first.number}")
    found = numbers(responder_api.get(url("incidents/"), {"search": first.number.lower()}))
    assert found == [first.number]


def test_a_reporter_finds_only_incidents_they_may_see(reporter_api, make_incident, other_reporter):
    mine = make_incident(title="Wi-Fi drops at my desk")
    make_incident(title="Wi-Fi drops in the lab", reporter=other_reporter)
    assert numbers(reporter_api.get(url("incidents/"), {"search": "wifi"})) == [mine.number]


def test_hostile_search_text_gives_results(responder_api, make_incident):
    make_incident(title="Printer jam")
    for text in HOSTILE:
        if len(text) <= 200:
            numbers(responder_api.get(url("incidents/"), {"search": text}))


def test_a_search_longer_than_a_title_is_a_clear_400(responder_api):
    response = responder_api.get(url("incidents/"), {"search": "x" * 201})
    assert response.status_code == 400
    assert "search" in response.json()["errors"]
