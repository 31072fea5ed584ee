"""/api/v1/drills/: managers start and end drills, responders read them; incidents show
`practice`, which no client can set."""

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create
from drills.models import Drill

pytestmark = pytest.mark.django_db
URL = "/api/v1/drills/"


@pytest.fixture
def api_as():
    def client(user):
        _, secret = api_token_create(user=user, name="drills")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return api

    return client


def test_a_manager_starts_a_drill_from_a_template_slug(api_as, manager, responder, template):
    response = api_as(manager).post(
        URL, {"template": "vpn-outage", "participants": ["agent"]}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    drill = Drill.objects.get()
    assert body["incident"] == drill.incident.number and body["practice"] is True
    assert (body["template"], body["participants"], body["ended_at"]) == (
        "vpn-outage",
        ["agent"],
        None,
    )
    assert drill.incident.channel == "api"


def test_a_manager_starts_a_drill_from_a_plan_with_an_end_user(
    api_as, manager, responder, reporter, plan
):
    response = api_as(manager).post(
        URL, {"plan": plan.pk, "participants": ["agent"], "end_user": "alice"}, format="json"
    )
    assert response.status_code == 201 and response.json()["end_user"] == "alice"


def test_responders_may_read_drills_but_not_start_them(api_as, responder, template, start_drill):
    drill = start_drill(template=template)
    api = api_as(responder)
    assert [d["id"] for d in api.get(URL).json()["results"]] == [drill.pk]
    assert api.get(f"{URL}{drill.pk}/").json()["incident"] == drill.incident.number
    response = api.post(URL, {"template": "vpn-outage", "participants": ["agent"]}, format="json")
    assert response.status_code == 403
    assert api.post(f"{URL}{drill.pk}/end/", {}, format="json").status_code == 403
    assert Drill.objects.count() == 1


def test_end_users_see_no_drills(api_as, reporter, template, start_drill):
    start_drill(template=template)
    assert api_as(reporter).get(URL).status_code == 403


@pytest.mark.parametrize(
    "body, field",
    [
        ({"participants": ["agent"]}, "plan"),
        ({"template": "no-such-template", "participants": ["agent"]}, "template"),
        ({"template": "vpn-outage", "participants": []}, "participants"),
        ({"template": "vpn-outage", "participants": ["alice"]}, "participants"),  # not staff
    ],
)
def test_bad_start_requests_name_the_field(
    api_as, manager, responder, reporter, template, body, field
):
    response = api_as(manager).post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Drill.objects.exists()


def test_ending_a_drill_returns_its_review_and_figures(api_as, manager, template, start_drill):
    drill = start_drill(template=template)
    api = api_as(manager)
    response = api.post(
        f"{URL}{drill.pk}/end/", {"went_well": "Calm", "to_change": "Runbook"}, format="json"
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["went_well"], body["to_change"]) == ("Calm", "Runbook")
    assert (body["checklist_done"], body["checklist_total"], body["checklist_percent"]) == (0, 2, 0)
    assert body["engage_seconds"] == 0 and body["acknowledge_seconds"] is None
    again = api.post(f"{URL}{drill.pk}/end/", {}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "already_ended"


def test_incidents_show_practice_read_only(api_as, manager, template, start_drill, incident):
    practice = start_drill(template=template).incident
    api = api_as(manager)
    assert api.get(f"/api/v1/incidents/{practice.number}/").json()["practice"] is True
    assert api.get(f"/api/v1/incidents/{incident.number}/").json()["practice"] is False
    response = api.post(
        "/api/v1/incidents/", {"title": "Disk full", "practice": True}, format="json"
    )
    if response.status_code == 201:  # an unknown field is ignored, never written
        assert response.json()["practice"] is False
    else:
        assert response.status_code == 400 and "practice" in response.json()["errors"]
    number = incident.number
    patched = api.patch(
        f"/api/v1/incidents/{number}/", {"practice": True, "version": 1}, format="json"
    )
    assert patched.status_code in (200, 400, 409)
    assert api.get(f"/api/v1/incidents/{number}/").json()["practice"] is False
