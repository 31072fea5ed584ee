"""/api/v1/schedules/ and /api/v1/oncall/: managers write, responders read, end users are
refused, and every bad input is a 400 naming its field."""

import pytest
from django.contrib.auth import get_user_model

from oncall.models import Override, Schedule

pytestmark = pytest.mark.django_db


def url(path: str) -> str:
    return f"/api/v1/{path.lstrip('/')}"


def body(**overrides) -> dict:
    data = {
        "name": "Network primary",
        "team": "network",
        "time_zone": "Europe/Berlin",
        "layers": [
            {
                "start": "2026-03-16T09:00:00+01:00",
                "shift_hours": 168,
                "participants": ["agent", "manager"],
            }
        ],
    }
    data.update(overrides)
    return data


def layer(**fields) -> dict:
    base = {"start": "2026-03-16T09:00:00", "shift_days": 7, "participants": ["agent"]}
    base.update(fields)
    return {key: value for key, value in base.items() if value is not ...}


def test_a_manager_creates_a_schedule_and_oncall_answers_who_is_on_call(manager_api, team):
    response = manager_api.post(url("schedules/"), body(), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["id"] == Schedule.objects.get().pk
    assert response.json()["layers"][0]["participants"] == ["agent", "manager"]

    second_week = manager_api.get(url("oncall/"), {"team": "network", "at": "2026-03-24T12:00Z"})
    assert second_week.status_code == 200
    assert second_week.json() == [
        {
            "team": "network",
            "schedule": "Network primary",
            "user": "manager",
            "start": "2026-03-23T08:00:00Z",
            "end": "2026-03-30T08:00:00Z",  # 168 elapsed hours: 10:00 local after the change
            "source": "layer",
        }
    ]


def test_shift_days_hand_off_at_the_local_time_and_naive_times_are_local(manager_api, team):
    data = body(layers=[layer(start="2026-03-16T00:00:00", handoff_time="09:00")])
    assert manager_api.post(url("schedules/"), data, format="json").status_code == 201
    (row,) = manager_api.get(url("oncall/"), {"at": "2026-03-30T07:30Z"}).json()
    # 16 March 00:00 Berlin, hand-offs every 7 days at 09:00 local: 30 March 09:00 CEST.
    assert (row["start"], row["end"]) == ("2026-03-30T07:00:00Z", "2026-04-06T07:00:00Z")


def test_an_override_is_added_and_wins(manager_api, responder_api, team, manager):
    schedule_id = manager_api.post(url("schedules/"), body(), format="json").json()["id"]
    response = manager_api.post(
        url(f"schedules/{schedule_id}/overrides/"),
        {"user": "manager", "start": "2026-03-17T10:00:00", "end": "2026-03-17T12:00:00"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    override = Override.objects.get()
    assert override.start.isoformat() == "2026-03-17T09:00:00+00:00"  # read as Berlin time
    rows = responder_api.get(url("oncall/"), {"at": "2026-03-17T09:30:00Z"}).json()
    assert [(row["user"], row["source"]) for row in rows] == [("manager", "override")]


def test_a_responder_reads_schedules_but_cannot_create_one(manager_api, responder_api, team):
    schedule_id = manager_api.post(url("schedules/"), body(), format="json").json()["id"]
    assert responder_api.get(url("schedules/")).status_code == 200
    assert responder_api.get(url(f"schedules/{schedule_id}/")).json()["team"] == "network"
    refused = responder_api.post(url("schedules/"), body(name="Other"), format="json")
    assert refused.status_code == 403
    override = {"user": "agent", "start": "2026-03-17T10:00Z", "end": "2026-03-17T12:00Z"}
    assert (
        responder_api.post(url(f"schedules/{schedule_id}/overrides/"), override, format="json")
    ).status_code == 403


def test_an_end_user_sees_neither_schedules_nor_who_is_on_call(reporter_api, team):
    assert reporter_api.get(url("schedules/")).status_code == 403
    assert reporter_api.get(url("oncall/")).status_code == 403
    assert reporter_api.post(url("schedules/"), body(), format="json").status_code == 403


def test_an_unknown_schedule_is_a_json_404(manager_api):
    assert manager_api.get(url("schedules/999/")).status_code == 404
    assert manager_api.get(url("schedules/nope/")).json()["code"] == "not_found"


BAD_SCHEDULES = [
    ({"team": "nope"}, "team"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"time_zone": "../../etc/passwd"}, "time_zone"),
    ({"name": ""}, "name"),
    ({"layers": []}, "layers"),
    ({"layers": [layer(participants=[])]}, "layers"),
    ({"layers": [layer(participants=["ghost"])]}, "layers"),
    ({"layers": [layer(participants=["retired"])]}, "layers"),
    ({"layers": [layer(shift_days=...)]}, "layers"),
    ({"layers": [layer(shift_days=0)]}, "layers"),
    ({"layers": [layer(shift_days=-7)]}, "layers"),
    ({"layers": [layer(shift_days=..., shift_hours=0)]}, "layers"),
    ({"layers": [layer(shift_hours=24)]}, "layers"),  # both lengths
    ({"layers": [layer(shift_days=..., shift_hours=8, handoff_time="09:00")]}, "layers"),
    ({"layers": [layer(end="2026-03-01T00:00:00")]}, "layers"),
    ({"layers": [layer(start="next monday")]}, "layers"),
    ({"layers": [layer(shift_days="7")]}, "layers"),
]


@pytest.mark.parametrize(("change", "field"), BAD_SCHEDULES)
def test_bad_schedule_input_is_a_400_naming_the_field(manager_api, team, make_user, change, field):
    make_user("retired").__class__.objects.filter(username="retired").update(is_active=False)
    response = manager_api.post(url("schedules/"), body(**change), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not Schedule.objects.exists()


def test_a_layer_error_says_which_layer_field_is_wrong(manager_api, team):
    data = body(layers=[layer(participants=["ghost", "agent"])])
    errors = manager_api.post(url("schedules/"), data, format="json").json()["errors"]
    assert errors == {"layers": ["0: participants: No such user: ghost."]}


def test_a_naive_start_skipped_by_the_spring_change_moves_forward(manager_api, team):
    data = body(layers=[layer(start="2026-03-29T02:30:00")])  # no such time in Berlin
    response = manager_api.post(url("schedules/"), data, format="json")
    assert response.status_code == 201
    assert Schedule.objects.get().layers.get().start.isoformat() == "2026-03-29T01:30:00+00:00"


def test_a_schedule_name_is_unique(manager_api, team):
    assert manager_api.post(url("schedules/"), body(), format="json").status_code == 201
    again = manager_api.post(url("schedules/"), body(), format="json")
    assert (again.status_code, list(again.json()["errors"])) == (400, ["name"])


BAD_OVERRIDES = [
    ({"user": "ghost"}, "user"),
    ({"user": "retired"}, "user"),
    ({"end": "2026-03-17T09:00:00"}, "end"),
    ({"end": "2026-03-17T10:00:00"}, "end"),
    ({"start": "soon"}, "start"),
    ({"start": None}, "start"),
]


@pytest.mark.parametrize(("change", "field"), BAD_OVERRIDES)
def test_bad_override_input_is_a_400_naming_the_field(manager_api, team, make_user, change, field):
    get_user_model().objects.filter(pk=make_user("retired").pk).update(is_active=False)
    schedule_id = manager_api.post(url("schedules/"), body(), format="json").json()["id"]
    data = {"user": "agent", "start": "2026-03-17T10:00:00", "end": "2026-03-17T12:00:00"}
    response = manager_api.post(
        url(f"schedules/{schedule_id}/overrides/"), {**data, **change}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not Override.objects.exists()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"team": "nope"}, "team"),
        ({"team": ""}, "team"),
        ({"at": "2026-03-17T10:00:00"}, "at"),  # naive: several zones may apply, so refused
        ({"at": "x"}, "at"),
        ({"at": ""}, "at"),
    ],
)
def test_bad_oncall_parameters_are_a_400_naming_them(responder_api, team, params, field):
    response = responder_api.get(url("oncall/"), params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_oncall_without_a_team_lists_every_schedule_with_someone_on_call(
    manager_api, team, make_user
):
    from incidents.models import Team

    Team.objects.create(name="Database", slug="db")
    manager_api.post(url("schedules/"), body(), format="json")
    manager_api.post(url("schedules/"), body(name="DBA", team="db"), format="json")
    future = body(name="Later", layers=[layer(start="2027-01-01T09:00:00")])
    manager_api.post(url("schedules/"), future, format="json")
    rows = manager_api.get(url("oncall/"), {"at": "2026-03-17T10:00:00+01:00"}).json()
    assert [(row["team"], row["schedule"]) for row in rows] == [
        ("db", "DBA"),
        ("network", "Network primary"),
    ]
    only_db = manager_api.get(url("oncall/"), {"team": "db", "at": "2026-03-17T09:00Z"}).json()
    assert [row["schedule"] for row in only_db] == ["DBA"]
