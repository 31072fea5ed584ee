"""The Preferences page: language and time zone, for end users and staff."""

import pytest
from django.test import Client

from profiles.models import UserProfile

pytestmark = pytest.mark.django_db

URL = "/preferences/"


def test_a_person_chooses_french_and_paris_and_reads_the_next_pages_in_french(signed_in, reporter):
    browser = signed_in(reporter)
    response = browser.post(URL, {"language": "fr", "time_zone": "Europe/Paris"}, follow=True)
    page = response.content.decode()
    assert "Vos préférences sont enregistrées." in page
    assert '<option value="fr" selected>Français</option>' in page
    profile = UserProfile.objects.get(user=reporter)
    assert (profile.language, profile.time_zone) == ("fr", "Europe/Paris")
    assert "Mes incidents ouverts" in browser.get("/portal/").content.decode()


def test_an_unknown_time_zone_is_a_form_error_and_nothing_is_saved(signed_in, reporter):
    browser = signed_in(reporter, language="de")
    response = browser.post(URL, {"language": "fr", "time_zone": "Mars/Olympus_Mons"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "„Mars/Olympus_Mons“ ist keine Zeitzone" in page
    assert 'value="Mars/Olympus_Mons"' in page  # what was typed is kept
    profile = UserProfile.objects.get(user=reporter)
    assert (profile.language, profile.time_zone) == ("de", "")


def test_an_unknown_language_is_refused(signed_in, reporter):
    response = signed_in(reporter).post(URL, {"language": "xx", "time_zone": ""})
    assert response.status_code == 200
    assert not UserProfile.objects.filter(user=reporter, language="xx").exists()


def test_choosing_the_browser_again_clears_the_language(signed_in, reporter):
    browser = signed_in(reporter, language="fr")
    browser.post(URL, {"language": "", "time_zone": ""})
    page = browser.get("/portal/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Meine offenen Vorfälle" in page


def test_the_page_needs_a_signed_in_person():
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_find_my_preferences_in_the_workspace_and_user_admins_set_anyones(
    signed_in, responder, superuser, reporter
):
    assert 'href="/preferences/"' in signed_in(responder).get("/admin/").content.decode()
    admin = signed_in(superuser)
    response = admin.post(
        "/admin/profiles/userprofile/add/",
        {"user": reporter.pk, "language": "de", "time_zone": "Europe/Vienna"},
    )
    assert response.status_code == 302
    assert UserProfile.objects.get(user=reporter).time_zone == "Europe/Vienna"
    assert signed_in(responder).get("/admin/profiles/userprofile/").status_code == 403


def test_a_first_report_remembers_the_browsers_language_for_later_e_mails(
    signed_in, reporter, service
):
    browser = signed_in(reporter)
    data = {
        "title": "VPN drops every few minutes",
        "description": "Since 9:00.",
        "service": str(service.pk),
        "impact": "low",
        "urgency": "high",
        "confirm_new": "1",
    }
    response = browser.post("/portal/report/", data, HTTP_ACCEPT_LANGUAGE="fr-CH,fr;q=0.9")
    assert response.status_code == 302
    assert UserProfile.objects.get(user=reporter).language == "fr"
    # A language chosen on purpose is never replaced by the browser's.
    browser.post("/portal/report/", {**data, "title": "Printer"}, HTTP_ACCEPT_LANGUAGE="de")
    assert UserProfile.objects.get(user=reporter).language == "fr"
