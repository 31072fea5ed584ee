"""A schedule over the March 2026 daylight-saving change in Berlin (Sunday 29 March,
02:00 CET becomes 03:00 CEST), built through the services as every door builds one.

Layers, lowest first:
1. weekly, Monday 09:00 local: ann, ben, cat, from Monday 16 March 09:00;
2. daily at 02:30 local (a time that does not exist on 29 March): dan, eve, from Friday
   27 March 02:30 until Monday 30 March 04:00;
3. 12 elapsed hours: fay, gus, from Saturday 28 March 20:00 until Sunday 29 March 20:00.
Override: hal covers Monday 30 March 08:00-12:00 local, across the weekly hand-off.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create
from incidents.roles import RESPONDERS
from oncall import services
from oncall.models import ShiftUnit
from oncall.services import LayerSpec

BERLIN = ZoneInfo("Europe/Berlin")
PEOPLE = ["ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal"]


def berlin(text: str) -> datetime:
    """A Berlin wall-clock time, "2026-03-30 09:00" (none of ours is ambiguous)."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def _api(user) -> APIClient:
    _, secret = api_token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def manager_api(manager):
    return _api(manager)


@pytest.fixture
def responder_api(responder):
    return _api(responder)


@pytest.fixture
def reporter_api(reporter):
    return _api(reporter)


@pytest.fixture
def people(make_user):
    return {name: make_user(name, group=RESPONDERS, staff=True) for name in PEOPLE}


@pytest.fixture
def make_schedule(team, manager):
    """`make_schedule(name, layers=[LayerSpec...], time_zone=...)` through the service."""

    def make(name="Network primary", *, layers, time_zone="Europe/Berlin", on_team=None):
        return services.schedule_create(
            name=name, team=on_team or team, time_zone=time_zone, layers=layers, actor=manager
        )

    return make


def weekly(participants, start="2026-03-16 09:00") -> LayerSpec:
    return LayerSpec(
        start=berlin(start),
        shift_length=7,
        shift_unit=ShiftUnit.DAYS,
        handoff_time=time(9, 0),
        participants=participants,
    )


@pytest.fixture
def dst_schedule(make_schedule, people, manager):
    p = people
    schedule = make_schedule(
        layers=[
            weekly([p["ann"], p["ben"], p["cat"]]),
            LayerSpec(
                start=berlin("2026-03-27 02:30"),
                end=berlin("2026-03-30 04:00"),
                shift_length=1,
                shift_unit=ShiftUnit.DAYS,
                participants=[p["dan"], p["eve"]],
            ),
            LayerSpec(
                start=berlin("2026-03-28 20:00"),
                end=berlin("2026-03-29 20:00"),
                shift_length=12,
                shift_unit=ShiftUnit.HOURS,
                participants=[p["fay"], p["gus"]],
            ),
        ]
    )
    services.override_create(
        schedule=schedule,
        user=p["hal"],
        start=berlin("2026-03-30 08:00"),
        end=berlin("2026-03-30 12:00"),
        actor=manager,
    )
    return schedule
