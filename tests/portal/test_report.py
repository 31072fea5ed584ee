import pytest
from django.test import Client
from django.urls import reverse

from incidents.choices import Channel, Priority
from incidents.models import Incident, Service

pytestmark = pytest.mark.django_db
URL = reverse("portal:report")


def test_report_form_asks_impact_and_urgency_in_plain_words(alice, service):
    page = alice.get(URL).content.decode()
    assert "How many people are affected?" in page
    assert "How much does it stop your work?" in page
    assert "Only me" in page and "I cannot do my work at all" in page
    for name in ("title", "description", "service", "impact", "urgency", "attachment"):
        assert f'name="{name}"' in page
    assert ">Not sure</option>" in page and ">VPN</option>" in page


def test_inactive_services_are_not_offered(alice, service):
    Service.objects.create(name="Fax", slug="fax", active=False)
    assert ">Fax</option>" not in alice.get(URL).content.decode()


def test_reporting_creates_an_incident_and_shows_its_number(alice, reporter, report_data):
    response = alice.post(URL, report_data, follow=True)
    incident = Incident.objects.get()
    assert incident.reporter == reporter and incident.channel == Channel.PORTAL
    assert incident.title == report_data["title"]
    assert incident.number.startswith("INC") and incident.number[3:].isdigit()
    page = response.content.decode()
    assert incident.number in page
    assert "What happens next" in page


def test_priority_comes_from_impact_and_urgency(alice, report_data):
    alice.post(URL, {**report_data, "impact": "high", "urgency": "high"})
    assert Incident.objects.get().priority == Priority.P1


@pytest.mark.parametrize("choice", ["", "unsure"])
def test_not_sure_reports_without_a_service(alice, report_data, choice):
    alice.post(URL, {**report_data, "service": choice})
    assert Incident.objects.get().service is None


def test_a_report_with_an_attachment_keeps_the_file_public(alice, report_data, png):
    alice.post(URL, {**report_data, "attachment": png()})
    attachment = Incident.objects.get().attachments.get()
    assert attachment.original_name == "screen.png" and attachment.public


def test_a_too_large_attachment_is_refused_clearly_and_nothing_is_saved(
    alice, report_data, png, settings
):
    settings.ITSM_ATTACHMENT_MAX_BYTES = 50
    response = alice.post(URL, {**report_data, "attachment": png()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "files may be at most 50" in page and "choose the file again" in page
    assert 'id="id_attachment_error"' in page
    assert report_data["title"] in page and report_data["description"] in page
    assert not Incident.objects.exists()


def test_a_file_of_a_refused_type_is_refused_clearly(alice, report_data, png):
    response = alice.post(URL, {**report_data, "attachment": png("run.exe", b"MZ\x90\x00")})
    assert "are not accepted" in response.content.decode()
    assert not Incident.objects.exists()


def test_missing_answers_are_shown_next_to_their_fields_with_the_input_kept(alice, service):
    response = alice.post(URL, {"description": "It <b>broke</b>", "service": str(service.pk)})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title_error"' in page and 'aria-invalid="true"' in page
    assert "Tell us how many people are affected." in page
    assert "Tell us how much it stops your work." in page
    assert "It &lt;b&gt;broke&lt;/b&gt;" in page
    assert f'<option value="{service.pk}" selected>' in page
    assert not Incident.objects.exists()


def test_an_ongoing_incident_on_the_service_is_offered_instead_of_a_duplicate(
    alice, report_data, make_incident, other_reporter, service
):
    known = make_incident(
        title="VPN is down for everyone", reporter=other_reporter, service=service
    )
    response = alice.post(URL, report_data)
    page = response.content.decode()
    assert "This may already be known" in page and known.number in page
    assert reverse("portal:incident-follow", args=[known.number]) in page
    assert "Report it anyway" in page and 'name="confirm_new" value="1"' in page
    assert report_data["title"] in page
    assert Incident.objects.count() == 1


def test_report_it_anyway_creates_the_incident(alice, report_data, make_incident, other_reporter):
    make_incident(reporter=other_reporter, service=Service.objects.get())
    alice.post(URL, {**report_data, "confirm_new": "1"})
    assert Incident.objects.count() == 2


def test_the_known_panel_for_a_service_lists_its_ongoing_incidents(
    alice, service, make_incident, other_reporter
):
    known = make_incident(reporter=other_reporter, service=service)
    url = reverse("portal:report-known")
    assert known.number in alice.get(url, {"service": service.pk}).content.decode()
    other = Service.objects.create(name="Payroll", slug="payroll")
    assert alice.get(url, {"service": other.pk}).content.decode().strip() == ""
    assert alice.get(url, {"service": "nonsense"}).status_code == 200


def test_the_eleventh_report_in_an_hour_is_refused_with_a_clear_message(alice, report_data):
    report_data["confirm_new"] = "1"  # past the "already known" step (their own reports)
    for _ in range(10):
        assert alice.post(URL, report_data).status_code == 302
    response = alice.post(URL, report_data)
    assert response.status_code == 429
    page = response.content.decode()
    assert "reported 10 problems in the last hour" in page
    assert report_data["title"] in page
    assert Incident.objects.count() == 10


def test_the_rate_limit_is_a_setting(alice, report_data, settings):
    settings.ITSM_REPORT_RATE_LIMIT = 1
    report_data["confirm_new"] = "1"
    assert alice.post(URL, report_data).status_code == 302
    assert alice.post(URL, report_data).status_code == 429


def test_reporting_needs_a_csrf_token(reporter, report_data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    assert client.post(URL, report_data).status_code == 403
    assert not Incident.objects.exists()


def test_what_a_user_types_is_shown_escaped(alice, report_data):
    alice.post(URL, {**report_data, "title": "<script>alert(1)</script>"}, follow=True)
    number = Incident.objects.get().number
    page = alice.get(reverse("portal:incident-detail", args=[number])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_confirmation_page_of_someone_elses_incident_is_not_found(
    client_for, other_reporter, incident
):
    url = reverse("portal:report-done", args=[incident.number])
    assert client_for(other_reporter).get(url).status_code == 404


def test_a_service_can_be_preselected_from_the_address(alice, service):
    page = alice.get(URL, {"service": service.slug}).content.decode()
    assert f'<option value="{service.pk}" selected>' in page


def test_a_bad_file_is_named_next_to_its_field_even_when_the_title_is_missing(alice, report_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    evil = SimpleUploadedFile("shot.png", b"<html><script>alert(1)</script></html>")
    response = alice.post(
        reverse("portal:report"), {**report_data, "title": "", "attachment": evil}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors
    assert "does not look like a .png file" in errors["attachment"][0]


def test_a_report_on_no_particular_service_still_gets_a_team(alice, report_data):
    response = alice.post(URL, {**report_data, "service": "", "confirm_new": "True"})
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.team.slug == "service-desk"
    assert incident.events.filter(kind="routed").exists()


def test_a_report_on_a_service_goes_to_its_owner_team(alice, report_data, team):
    alice.post(URL, {**report_data, "confirm_new": "True"})
    assert Incident.objects.get().team == team


def test_a_refused_report_puts_the_cursor_on_the_first_answer_to_correct(alice, service):
    response = alice.post(URL, {"description": "It broke", "service": str(service.pk)})
    page = response.content.decode()
    assert page.count(" autofocus") == 1
    title_input = page[page.index('name="title"') :].split(">", 1)[0]
    assert "autofocus" in title_input


def test_a_fresh_report_form_takes_no_focus_away_from_the_page(alice):
    assert "autofocus" not in alice.get(URL).content.decode()
