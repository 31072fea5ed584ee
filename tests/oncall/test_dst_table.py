"""Who is on call, instant by instant, across the March daylight-saving change in Berlin
and an override: a table computed by hand (see conftest for the schedule). Each instant
is written as Berlin wall time and as the UTC instant worked out by hand, so a wrong
offset in the table itself shows too."""

from datetime import UTC, datetime

import pytest

from oncall.selectors import shift_at, shifts_between, users_on_call
from tests.oncall.conftest import berlin

pytestmark = pytest.mark.django_db

TABLE = [
    # Berlin wall time, UTC by hand, who (None: nobody)
    ("2026-03-16 08:59", "2026-03-16 07:59", None),  # before the rotation starts
    ("2026-03-16 09:00", "2026-03-16 08:00", "ann"),  # weekly, first shift
    ("2026-03-23 08:59", "2026-03-23 07:59", "ann"),
    ("2026-03-23 09:00", "2026-03-23 08:00", "ben"),  # weekly hand-off, CET
    ("2026-03-27 02:29", "2026-03-27 01:29", "ben"),
    ("2026-03-27 02:30", "2026-03-27 01:30", "dan"),  # the daily layer begins above
    ("2026-03-28 02:30", "2026-03-28 01:30", "eve"),  # daily hand-off
    ("2026-03-28 19:59", "2026-03-28 18:59", "eve"),
    ("2026-03-28 20:00", "2026-03-28 19:00", "fay"),  # the 12-hour layer begins above
    ("2026-03-29 01:59", "2026-03-29 00:59", "fay"),  # one minute before the change
    ("2026-03-29 03:00", "2026-03-29 01:00", "fay"),  # one minute after (02:xx is skipped)
    ("2026-03-29 08:59", "2026-03-29 06:59", "fay"),  # 12 elapsed hours = 13 wall hours
    ("2026-03-29 09:00", "2026-03-29 07:00", "gus"),
    ("2026-03-29 19:59", "2026-03-29 17:59", "gus"),
    ("2026-03-29 20:00", "2026-03-29 18:00", "dan"),  # 12-hour layer over: daily shows
    ("2026-03-30 02:29", "2026-03-30 00:29", "dan"),  # that daily shift lasted 23 hours
    ("2026-03-30 02:30", "2026-03-30 00:30", "eve"),  # daily hand-off, now CEST
    ("2026-03-30 03:59", "2026-03-30 01:59", "eve"),
    ("2026-03-30 04:00", "2026-03-30 02:00", "ben"),  # daily layer over: weekly shows
    ("2026-03-30 07:59", "2026-03-30 05:59", "ben"),
    ("2026-03-30 08:00", "2026-03-30 06:00", "hal"),  # override
    ("2026-03-30 09:00", "2026-03-30 07:00", "hal"),  # override across the hand-off
    ("2026-03-30 12:00", "2026-03-30 10:00", "cat"),  # weekly hand-off stayed at 09:00
    ("2026-04-06 08:59", "2026-04-06 06:59", "cat"),  # a 167-hour week
    ("2026-04-06 09:00", "2026-04-06 07:00", "ann"),  # 09:00 CEST
]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(("local", "in_utc", "expected"), TABLE)
def test_the_person_on_call_matches_the_hand_computed_table(dst_schedule, local, in_utc, expected):
    at = berlin(local)
    assert at == utc(in_utc)
    shift = shift_at(dst_schedule, at)
    assert (shift.user.username if shift else None) == expected
    assert [user.username for user in users_on_call(dst_schedule, at)] == (
        [expected] if expected else []
    )


def test_the_final_timeline_is_the_hand_computed_sequence_of_pieces(dst_schedule):
    shifts = shifts_between(dst_schedule, berlin("2026-03-16 00:00"), berlin("2026-04-07 00:00"))
    got = [(s.user.username, s.start, s.end, s.source) for s in shifts]
    assert got == [
        ("ann", utc("2026-03-16 08:00"), utc("2026-03-23 08:00"), "layer"),
        ("ben", utc("2026-03-23 08:00"), utc("2026-03-27 01:30"), "layer"),
        ("dan", utc("2026-03-27 01:30"), utc("2026-03-28 01:30"), "layer"),
        ("eve", utc("2026-03-28 01:30"), utc("2026-03-28 19:00"), "layer"),
        ("fay", utc("2026-03-28 19:00"), utc("2026-03-29 07:00"), "layer"),
        ("gus", utc("2026-03-29 07:00"), utc("2026-03-29 18:00"), "layer"),
        ("dan", utc("2026-03-29 18:00"), utc("2026-03-30 00:30"), "layer"),
        ("eve", utc("2026-03-30 00:30"), utc("2026-03-30 02:00"), "layer"),
        ("ben", utc("2026-03-30 02:00"), utc("2026-03-30 06:00"), "layer"),
        ("hal", utc("2026-03-30 06:00"), utc("2026-03-30 10:00"), "override"),
        ("cat", utc("2026-03-30 10:00"), utc("2026-04-06 07:00"), "layer"),
        ("ann", utc("2026-04-06 07:00"), utc("2026-04-13 07:00"), "layer"),
    ]


def test_a_shift_running_at_the_window_start_keeps_its_true_start(dst_schedule):
    shifts = shifts_between(dst_schedule, berlin("2026-04-01 12:00"), berlin("2026-04-02 12:00"))
    assert [(s.user.username, s.start, s.end) for s in shifts] == [
        ("cat", utc("2026-03-30 10:00"), utc("2026-04-06 07:00"))
    ]


def test_an_instant_with_no_layer_and_no_override_has_nobody(dst_schedule):
    assert shift_at(dst_schedule, berlin("2026-01-01 12:00")) is None
    assert users_on_call(dst_schedule, berlin("2026-01-01 12:00")) == []
