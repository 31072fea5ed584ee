import pytest

from incidents.models import Category, Incident
from tests.api.conftest import url

pytestmark = pytest.mark.django_db


def test_a_reporter_reports_an_incident_through_the_domain_layer(reporter_api, service):
    response = reporter_api.post(
        url("incidents/"),
        {"title": "VPN drops", "impact": "high", "urgency": "high", "service": "vpn"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    incident = Incident.objects.get(number=data["number"])
    assert response["Location"].endswith(f"/api/v1/incidents/{incident.number}/")
    assert (data["reporter"], data["channel"], data["priority"], data["team"]) == (
        "alice",
        "api",
        "P1",
        "network",
    )
    record = incident.history.earliest()
    assert record.history_change_reason == "Created via API"
    assert record.history_user.username == "alice"
    assert incident.events.filter(kind="created", channel="api").exists()


def test_staff_report_on_behalf_of_a_user_and_assign_at_once(
    responder_api, reporter, responder, team
):
    response = responder_api.post(
        url("incidents/"),
        {
            "title": "Phone call: no mail",
            "reporter": "alice",
            "team": "network",
            "assignee": "agent",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    incident = Incident.objects.get(number=response.json()["number"])
    assert (incident.reporter, incident.assignee, incident.team) == (reporter, responder, team)
    assert incident.history.earliest().history_user == responder


def test_end_users_cannot_set_staff_only_fields(reporter_api, team):
    response = reporter_api.post(
        url("incidents/"),
        {"title": "Mine", "priority": "P1", "team": "network", "reporter": "agent"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"priority", "team", "reporter"}
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "impact": "huge"}, "impact"),
        ({"title": "ok", "service": "nope"}, "service"),
        ({"title": "ok", "category": 999999}, "category"),
        ({"title": "ok", "category": "abc"}, "category"),
    ],
)
def test_invalid_reports_are_400_naming_the_field(reporter_api, body, field):
    response = reporter_api.post(url("incidents/"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert response.json()["code"] == "invalid"


def test_a_body_that_is_not_json_is_415(reporter_api):
    response = reporter_api.post(url("incidents/"), "title=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_broken_json_is_400(reporter_api):
    response = reporter_api.post(url("incidents/"), "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_patch_with_the_current_version_edits_and_records_history(responder_api, incident):
    category = Category.objects.create(name="Network")
    response = responder_api.patch(
        url(f"incidents/{incident.number}/"),
        {"title": "VPN down for everyone", "category": category.pk, "version": incident.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    incident.refresh_from_db()
    assert incident.title == "VPN down for everyone" and incident.category == category
    assert response.json()["version"] == incident.version
    assert incident.history.latest().history_change_reason == "Updated via API"


def test_patch_raising_impact_rederives_priority(responder_api, incident):
    response = responder_api.patch(
        url(f"incidents/{incident.number}/"),
        {"impact": "high", "urgency": "high", "version": incident.version},
        format="json",
    )
    assert response.json()["priority"] == "P1"


def test_patch_without_a_version_is_409_explaining_what_to_send(responder_api, incident):
    response = responder_api.patch(
        url(f"incidents/{incident.number}/"), {"title": "New"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "version_required"
    assert "If-Match" in response.json()["message"]
    incident.refresh_from_db()
    assert incident.title == "VPN down"


def test_patch_with_a_stale_version_is_409_and_overwrites_nothing(responder_api, incident):
    response = responder_api.patch(
        url(f"incidents/{incident.number}/"),
        {"title": "Mine", "version": incident.version - 1 or 99},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    incident.refresh_from_db()
    assert incident.title == "VPN down"


def test_if_match_with_the_etag_edits_and_a_stale_one_is_412(responder_api, incident):
    etag = responder_api.get(url(f"incidents/{incident.number}/"))["ETag"]
    path = url(f"incidents/{incident.number}/")
    ok = responder_api.patch(path, {"title": "First"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    stale = responder_api.patch(path, {"title": "Second"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    incident.refresh_from_db()
    assert incident.title == "First"


def test_a_malformed_if_match_is_400(responder_api, incident):
    response = responder_api.patch(
        url(f"incidents/{incident.number}/"), {"title": "x"}, format="json", HTTP_IF_MATCH="abc"
    )
    assert response.status_code == 400
    assert "If-Match" in response.json()["errors"]


def test_end_users_cannot_edit_even_their_own_incident(reporter_api, incident):
    response = reporter_api.patch(
        url(f"incidents/{incident.number}/"),
        {"title": "x", "version": incident.version},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_editing_someone_elses_incident_is_404_for_an_end_user(other_reporter_api, incident):
    response = other_reporter_api.patch(
        url(f"incidents/{incident.number}/"), {"title": "x", "version": 1}, format="json"
    )
    assert response.status_code == 404


def test_put_and_delete_are_not_offered(responder_api, incident):
    path = url(f"incidents/{incident.number}/")
    assert responder_api.put(path, {}, format="json").status_code == 405
    assert responder_api.delete(path).status_code == 405


def test_an_incident_reported_without_a_service_gets_the_fallback_team(reporter_api):
    body = {"title": "Something is off", "impact": "low", "urgency": "low"}
    response = reporter_api.post(url("incidents/"), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["team"] == "service-desk"


def test_a_team_staff_name_wins_over_the_services_owner(responder_api, service):
    from incidents.models import Team

    Team.objects.create(name="Platform", slug="platform")
    body = {"title": "Disk", "service": "vpn", "team": "platform"}
    response = responder_api.post(url("incidents/"), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["team"] == "platform"
