"""POST /api/v1/escalation-policies/ as the issue gives it, and its refusals."""

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create
from paging.models import EscalationPolicy

pytestmark = pytest.mark.django_db
URL = "/api/v1/escalation-policies/"


def _client(user):
    _, secret = api_token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def schedule(team, responder):
    from oncall.models import Schedule

    return Schedule.objects.create(name="Network primary", team=team, time_zone="Europe/Berlin")


def test_a_manager_creates_a_policy_with_every_kind_of_target(manager, team, responder, schedule):
    body = {
        "team": team.slug,
        "repeat": 1,
        "steps": [
            {
                "delay_minutes": 5,
                "targets": [
                    {"type": "schedule", "id": schedule.pk},
                    {"type": "user", "username": responder.username},
                ],
            },
            {
                "delay_minutes": 10,
                "targets": [{"type": "team_lead"}, {"type": "incident_managers"}],
            },
        ],
    }
    response = _client(manager).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    policy = EscalationPolicy.objects.get(pk=response.json()["id"])
    first, second = policy.steps.all()
    assert list(first.schedules.all()) == [schedule] and list(first.users.all()) == [responder]
    assert second.team_lead and second.incident_managers and second.delay_minutes == 10
    assert policy.repeat == 1 and policy.page_priorities == ["P1", "P2"]
    read = _client(responder).get(f"{URL}{policy.pk}/").json()
    assert read["steps"][1]["targets"] == [{"type": "team_lead"}, {"type": "incident_managers"}]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"team": "nope"}, "team"),
        ({"steps": []}, "steps"),
        ({"steps": [{"delay_minutes": 0, "targets": [{"type": "team_lead"}]}]}, "steps"),
        ({"steps": [{"delay_minutes": 5, "targets": []}]}, "steps"),
        ({"steps": [{"delay_minutes": 5, "targets": [{"type": "pager"}]}]}, "steps"),
        ({"steps": [{"delay_minutes": 5, "targets": [{"type": "schedule", "id": 999}]}]}, "steps"),
        (
            {"steps": [{"delay_minutes": 5, "targets": [{"type": "user", "username": "alice"}]}]},
            "steps",
        ),
        ({"page_priorities": ["P9"]}, "page_priorities"),
        ({"repeat": -1}, "repeat"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(manager, team, reporter, change, field):
    body = {"team": team.slug, "steps": [{"delay_minutes": 5, "targets": [{"type": "team_lead"}]}]}
    response = _client(manager).post(URL, {**body, **change}, format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not EscalationPolicy.objects.exists()


def test_a_second_policy_for_the_same_team_is_refused(manager, team, policy):
    body = {"team": team.slug, "steps": [{"delay_minutes": 5, "targets": [{"type": "team_lead"}]}]}
    response = _client(manager).post(URL, body, format="json")
    assert response.status_code == 400 and "already has" in str(response.json())


def test_responders_read_but_cannot_write_and_end_users_cannot_read(
    responder, reporter, team, policy
):
    body = {"team": team.slug, "steps": [{"delay_minutes": 5, "targets": [{"type": "team_lead"}]}]}
    assert _client(responder).get(URL).status_code == 200
    assert _client(responder).post(URL, body, format="json").status_code == 403
    assert _client(reporter).get(URL).status_code == 403
