from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from incidents import services
from incidents.choices import Channel
from tests.api.conftest import url

pytestmark = pytest.mark.django_db

FIELDS = {
    "number", "title", "description", "status", "impact", "urgency", "priority", "service",
    "category", "team", "assignee", "reporter", "channel", "major", "confidential", "practice",
    "opened_at",
    "acknowledged_at", "resolved_at", "closed_at", "response_due", "resolution_due",
    "sla_breached", "version", "url",
}  # fmt: skip


def numbers(response) -> list[str]:
    return [row["number"] for row in response.json()["results"]]


def test_an_incident_has_exactly_the_documented_fields(responder_api, incident):
    response = responder_api.get(url(f"incidents/{incident.number}/"))
    assert response.status_code == 200
    data = response.json()
    assert set(data) == FIELDS | {"satisfaction"}  # staff read the reporter's rating too
    assert data["service"] == "vpn" and data["team"] == "network"
    assert data["reporter"] == "alice" and data["assignee"] is None
    assert data["url"].endswith(f"/api/v1/incidents/{incident.number}/")
    assert response["ETag"] == f'"{incident.version}"'


def test_a_reporter_lists_only_incidents_they_reported_or_watch(
    reporter_api, make_incident, other_reporter, reporter, responder
):
    mine = make_incident()
    theirs = make_incident(reporter=other_reporter)
    watched = make_incident(reporter=other_reporter)
    # Not a shared incident (no service): the service desk puts alice on it.
    services.incident_watch(incident=watched, user=reporter, actor=responder, via=Channel.ADMIN)
    assert sorted(numbers(reporter_api.get(url("incidents/")))) == sorted(
        [mine.number, watched.number]
    )
    assert theirs.number not in numbers(reporter_api.get(url("incidents/")))


def test_another_users_incident_is_404_for_an_end_user(other_reporter_api, incident):
    response = other_reporter_api.get(url(f"incidents/{incident.number}/"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("persona", ["responder_api", "manager_api"])
def test_responders_and_managers_see_every_incident(
    persona, request, make_incident, other_reporter
):
    make_incident()
    make_incident(reporter=other_reporter)
    assert len(numbers(request.getfixturevalue(persona).get(url("incidents/")))) == 2


def test_list_is_filtered_by_several_statuses_priority_and_service(
    responder_api, responder, make_incident, service
):
    new = make_incident(service=service, impact="high", urgency="high")
    acked = services.incident_acknowledge(
        incident=make_incident(), actor=responder, via=Channel.ADMIN
    )
    cancelled = services.incident_cancel(
        incident=make_incident(), actor=responder, via=Channel.ADMIN
    )
    both = numbers(responder_api.get(url("incidents/?status=new&status=acknowledged")))
    assert sorted(both) == sorted([new.number, acked.number])
    assert cancelled.number not in both
    assert numbers(responder_api.get(url("incidents/?priority=P1"))) == [new.number]
    assert numbers(responder_api.get(url("incidents/?service=vpn"))) == [new.number]


def test_list_is_filtered_by_people_team_channel_and_major(
    responder_api, responder, make_incident, team, other_reporter
):
    assigned = make_incident(team=team, assignee=responder, major=True, via=Channel.EMAIL)
    make_incident(reporter=other_reporter)
    for query in (
        "assignee=agent",
        "team=network",
        "channel=email",
        "major=true",
        "reporter=alice",
    ):
        assert assigned.number in numbers(responder_api.get(url(f"incidents/?{query}"))), query
    assert numbers(responder_api.get(url("incidents/?reporter=bob"))) != [assigned.number]


def test_list_is_filtered_by_opening_time_and_search(responder_api, make_incident):
    old = make_incident(title="Printer jam", opened_at=timezone.now() - timedelta(days=10))
    recent = make_incident(title="Mail bounces")
    cutoff = (timezone.now() - timedelta(days=1)).isoformat()
    assert numbers(responder_api.get(url("incidents/"), {"opened_after": cutoff})) == [
        recent.number
    ]
    assert numbers(responder_api.get(url("incidents/"), {"opened_before": cutoff})) == [old.number]
    assert numbers(responder_api.get(url("incidents/?search=printer"))) == [old.number]
    assert numbers(responder_api.get(url(f"incidents/?search={recent.number}"))) == [recent.number]


def test_sla_breached_comes_from_the_clocks_and_filters_the_list(
    responder_api, make_incident, service
):
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        late = make_incident(service=service, impact="high", urgency="high")
    on_time = make_incident(service=service)
    rows = {r["number"]: r for r in responder_api.get(url("incidents/")).json()["results"]}
    assert rows[late.number]["sla_breached"] is True
    assert rows[on_time.number]["sla_breached"] is False
    assert numbers(responder_api.get(url("incidents/?sla_breached=true"))) == [late.number]
    assert numbers(responder_api.get(url("incidents/?sla_breached=false"))) == [on_time.number]


def test_pages_follow_a_cursor_and_never_exceed_the_maximum_size(responder_api, make_incident):
    created = [make_incident(title=f"Issue {i}").number for i in range(7)]
    first = responder_api.get(url("incidents/?page_size=5")).json()
    second = responder_api.get(first["next"]).json()
    assert len(first["results"]) == 5 and len(second["results"]) == 2
    assert sorted(numbers_of(first) + numbers_of(second)) == sorted(created)
    assert second["next"] is None
    big = responder_api.get(url("incidents/?page_size=100000"))
    assert big.status_code == 200


def numbers_of(page: dict) -> list[str]:
    return [row["number"] for row in page["results"]]


def test_an_unknown_service_or_person_simply_matches_nothing(responder_api, incident):
    for query in ("service=nope", "team=nope", "assignee=nobody"):
        response = responder_api.get(url(f"incidents/?{query}"))
        assert response.status_code == 200 and response.json()["results"] == [], query


def test_ordering_by_priority_then_number_is_stable(responder_api, make_incident):
    low = make_incident(impact="low", urgency="low")
    high = make_incident(impact="high", urgency="high")
    assert numbers(responder_api.get(url("incidents/?ordering=priority"))) == [
        high.number,
        low.number,
    ]
    assert numbers(responder_api.get(url("incidents/?ordering=-priority"))) == [
        low.number,
        high.number,
    ]


@pytest.mark.parametrize(
    "query",
    [
        "status=exploded",
        "priority=P9",
        "opened_after=yesterday",
        "opened_after=",
        "page_size=0",
        "page_size=ten",
        "major=perhaps",
        "cursor=garbage",
        "cursor=bz0xJnA9bm90LWEtZGF0ZQ==",  # a forged cursor whose position is not a date
    ],
)
def test_bad_filters_and_cursors_are_400_with_the_field_named(responder_api, query):
    response = responder_api.get(url(f"incidents/?{query}"))
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["errors"]
