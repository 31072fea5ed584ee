"""The iCalendar feeds: parsed back with the icalendar library they equal the final
timeline; a wrong or rotated token is a 404."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from incidents.roles import RESPONDERS
from oncall import services
from oncall.calendars import HORIZON
from oncall.selectors import shifts_between, shifts_of_user
from tests.oncall.conftest import berlin

pytestmark = pytest.mark.django_db

# Inside the conftest schedule's busiest fortnight.
NOW = datetime(2026, 3, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def events(response) -> list[tuple]:
    calendar = Calendar.from_ical(response.content)
    return [
        (
            str(event["UID"]),
            event.decoded("DTSTART"),
            event.decoded("DTEND"),
            str(event["SUMMARY"]),
        )
        for event in calendar.walk("VEVENT")
    ]


def schedule_url(schedule) -> str:
    return reverse("oncall:schedule-calendar", args=[schedule.calendar_token])


def test_the_schedule_feed_parsed_back_gives_the_final_shifts(client, dst_schedule, frozen_now):
    response = client.get(schedule_url(dst_schedule))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    expected = shifts_between(dst_schedule, NOW, NOW + HORIZON)
    got = events(response)
    assert [(start, end) for _, start, end, _ in got] == [(s.start, s.end) for s in expected]
    assert [summary for *_, summary in got] == [
        f"On call: Network primary ({s.user.username})" for s in expected
    ]
    assert "On call: Network primary (hal)" in [summary for *_, summary in got]
    lines = response.content.decode().splitlines()
    times = [line for line in lines if line.startswith(("DTSTART", "DTEND"))]
    assert times and all(line.endswith("Z") and ":" in line for line in times)  # UTC
    assert len({uid for uid, *_ in got}) == len(got)


def test_event_uids_stay_the_same_from_one_fetch_to_the_next(client, dst_schedule, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    first = {start: uid for uid, start, _, _ in events(client.get(schedule_url(dst_schedule)))}
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW + timedelta(hours=20))
    later = {start: uid for uid, start, _, _ in events(client.get(schedule_url(dst_schedule)))}
    shared = set(first) & set(later)
    assert len(shared) >= 5
    assert all(first[start] == later[start] for start in shared)


def test_a_wrong_token_is_a_404(client, dst_schedule):
    assert client.get(reverse("oncall:schedule-calendar", args=["guess"])).status_code == 404
    assert client.get(reverse("oncall:user-calendar", args=["guess"])).status_code == 404


def test_a_rotated_schedule_token_invalidates_the_old_url(client, dst_schedule, manager):
    old = schedule_url(dst_schedule)
    rotated = services.schedule_rotate_calendar_token(schedule=dst_schedule, actor=manager)
    assert client.get(old).status_code == 404
    assert client.get(schedule_url(rotated)).status_code == 200


def test_the_personal_feed_holds_the_users_own_shifts_only(
    client, dst_schedule, people, frozen_now
):
    feed = services.calendar_feed_for(user=people["dan"])
    response = client.get(reverse("oncall:user-calendar", args=[feed.token]))
    got = events(response)
    expected = shifts_of_user(people["dan"], NOW, NOW + HORIZON)
    assert [(start, end) for _, start, end, _ in got] == [(s.start, s.end) for s in expected]
    assert [start for _, start, _, _ in got] == [
        berlin("2026-03-27 02:30"),
        berlin("2026-03-29 20:00"),
    ]
    assert {summary for *_, summary in got} == {"On call: Network primary (dan)"}


def test_a_rotated_personal_token_invalidates_the_old_url(client, people):
    old = services.calendar_feed_for(user=people["dan"]).token
    new = services.calendar_feed_rotate(user=people["dan"]).token
    assert client.get(reverse("oncall:user-calendar", args=[old])).status_code == 404
    assert client.get(reverse("oncall:user-calendar", args=[new])).status_code == 200


def test_the_personal_feed_of_someone_who_left_the_staff_roles_is_a_404(client, people):
    from django.contrib.auth.models import Group

    token = services.calendar_feed_for(user=people["dan"]).token
    people["dan"].groups.remove(Group.objects.get(name=RESPONDERS))
    assert client.get(reverse("oncall:user-calendar", args=[token])).status_code == 404
