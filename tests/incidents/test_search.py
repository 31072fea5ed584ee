"""Incident search (incidents/search.py): what people type finds what they mean, on
PostgreSQL with the search indexes and on the embedded SQLite fallback alike."""

import pytest
from django.db import connection

from incidents.models import Incident
from incidents.numbers import number_typed
from incidents.search import MAX_WORDS, incident_search, words_in

pytestmark = pytest.mark.django_db

HOSTILE = [
    "&|!:*",
    "printer & !",
    "'printer'",
    '"printer',
    "printer:* | wifi",
    "(printer) <-> wifi",
    "printer\\",
    "%_%",
    "' OR 1=1 --",
    "🙂 printer",
    "\u202eprinter",
    "printer " * 500,
    "x" * 10_000,
    "INC",
    "INC99999999999",
    "-",
]


def found(text: str, **options) -> set[str]:
    return {incident.title for incident in incident_search(Incident.objects.all(), text, **options)}


@pytest.fixture
def catalogue(make_incident):
    make_incident(title="Wi-Fi drops in building 7", description="Since the upgrade.")
    make_incident(title="Printers offline on floor 3", description="Nothing prints.")
    make_incident(title="Mail bounces", description="Every message to the printer team.")
    make_incident(title="VPN gateway down", description="Cannot connect since 9:00.")


def test_wifi_written_any_way_finds_wi_fi(catalogue):
    for text in ("wifi", "WIFI", "wi-fi", "Wi-Fi drops"):
        assert found(text) == {"Wi-Fi drops in building 7"}, text


def test_a_word_finds_its_plural_in_titles_and_descriptions(catalogue):
    expected = {"Printers offline on floor 3", "Mail bounces"}
    assert found("printer") == expected
    assert found("printers") == expected


def test_every_word_must_match_unless_any_word_is_enough(catalogue):
    assert found("printer floor") == {"Printers offline on floor 3"}
    assert found("printer wifi") == set()
    assert found("printer wifi", any_word=True) == {
        "Printers offline on floor 3",
        "Mail bounces",
        "Wi-Fi drops in building 7",
    }


def test_a_number_finds_exactly_that_incident_in_any_case_or_padding(make_incident):
    first = make_incident(title="Mail bounces")
    make_incident(title=f"Follow-up of {first.number}")
    digits = str(int(first.number[3:]))
    for text in (first.number, first.number.lower(), f"  inc{digits} "):
        assert [i.number for i in incident_search(Incident.objects.all(), text)] == [first.number]
    assert number_typed("printer") is None


def test_empty_text_narrows_nothing_and_punctuation_alone_finds_nothing(catalogue):
    assert incident_search(Incident.objects.all(), "  ").count() == 4
    assert found("&|!:*") == set()


def test_hostile_text_gives_results_never_an_error(catalogue):
    for text in HOSTILE:
        for any_word in (False, True):
            found(text, any_word=any_word)  # evaluated against the database
    # Query syntax is read as separators: quotes and operators change nothing.
    assert found("'printer'") == found('"printer"') == found("printer")
    assert found("printer:* | !floor") == found("printer floor")
    assert len(words_in("word " * 100)) == MAX_WORDS


def test_a_close_typo_is_found_where_trigram_similarity_exists(catalogue):
    # PostgreSQL compares trigrams; the embedded SQLite fallback only finds words as typed.
    expected = {"VPN gateway down"} if connection.vendor == "postgresql" else set()
    assert found("vpn gatway") == expected


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        # A handful of rows would be read sequentially; the question is whether the
        # expressions searched are the indexed ones.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, Incident._meta.db_table)
    return {name for name in names if name.startswith("incident_search_")}


def test_a_word_search_is_answered_by_the_search_indexes_on_postgresql(catalogue):
    if connection.vendor != "postgresql":
        assert _indexes() == set()  # the migration changes nothing on SQLite
        return
    wifi = incident_search(Incident.objects.order_by(), "wifi")
    plan = _plan(*wifi.query.sql_with_params())
    assert "incident_search_document" in plan and "incident_search_title_trgm" in plan
    assert "Seq Scan" not in plan
