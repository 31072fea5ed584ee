"""Pages in the reader's language (their preference, else the browser's) and time zone."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_a_visitor_whose_browser_asks_for_german_gets_the_sign_in_page_in_german():
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    page = response.content.decode()
    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in page
    assert "Passwort vergessen?" in page and "Forgotten your password?" not in page


def test_without_a_preference_or_a_browser_language_the_site_speaks_english():
    page = Client().get("/accounts/login/").content.decode()
    assert "Forgotten your password?" in page


def test_the_public_status_page_is_served_in_each_visitors_language(service):
    german = Client().get("/status/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    french = Client().get("/status/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = Client().get("/status/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The cached page of one language is never served to another.
    assert "Servicestatus" in german and "In Betrieb" in german
    assert "État des services" in french and "Opérationnel" in french
    assert "Service status" in english and "Operational" in english


def test_a_french_users_preference_wins_over_their_browser(signed_in, reporter, incident):
    browser = signed_in(reporter, language="fr")
    page = browser.get("/portal/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Mes incidents ouverts" in page and "Signaler un problème" in page
    assert "Reçu : en attente du centre de services" in page
    assert "Meine offenen Vorfälle" not in page


def test_the_incident_page_in_german_with_dates_in_the_readers_zone(signed_in, reporter, incident):
    opened = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
    Incident.objects.filter(pk=incident.pk).update(opened_at=opened)
    browser = signed_in(reporter, language="de", zone="Asia/Tokyo")
    page = browser.get(f"/portal/incidents/{incident.number}/").content.decode()
    assert "Gemeldet" in page and "Zuständiges Team" in page
    # 23:30 UTC is 08:30 the next morning in Tokyo, a Friday in January.
    assert "Freitag 16 Januar 2026, 08:30" in page
    assert 'datetime="2026-01-16T08:30:00+09:00"' in page


def test_the_list_shows_times_in_the_readers_zone_and_others_see_theirs(
    signed_in, reporter, incident, other_reporter
):
    Incident.objects.filter(pk=incident.pk).update(
        opened_at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    )
    in_new_york = signed_in(reporter, zone="America/New_York").get("/portal/incidents/")
    assert "1 Jul 2026, 08:00" in in_new_york.content.decode()
    in_utc = signed_in(reporter, zone="").get("/portal/incidents/")
    assert "1 Jul 2026, 12:00" in in_utc.content.decode()


def test_staff_get_the_workspace_in_their_language(signed_in, responder, incident):
    browser = signed_in(responder, language="fr")
    page = browser.get(f"/admin/incidents/incident/{incident.pk}/change/").content.decode()
    assert "Chronologie · plus récent en premier" in page
    assert "Mes préférences" in page


def test_the_report_form_asks_in_german_down_to_its_choices(signed_in, reporter):
    page = signed_in(reporter, language="de").get("/portal/report/").content.decode()
    assert "Problem melden" in page
    assert "Nur mich" in page and "Only me" not in page
    assert "Vollständig: Ich kann meine Arbeit überhaupt nicht erledigen" in page
