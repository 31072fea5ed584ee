"""The pure rotation arithmetic: calendar days on the local wall clock, elapsed hours,
the gap and the repeated hour of daylight-saving changes, layer stacking."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from oncall.rotation import (
    DAYS,
    HOURS,
    OVERRIDE,
    Rotation,
    Slot,
    local_instant,
    rotation_slots,
    slot_at,
    timeline,
)

BERLIN = ZoneInfo("Europe/Berlin")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_hand_off_in_the_spring_gap_moves_forward_by_the_gap():
    # 02:30 does not exist on 29 March 2026 in Berlin: read with the offset before, +01:00.
    assert local_instant(datetime(2026, 3, 29).date(), time(2, 30), BERLIN) == utc(
        "2026-03-29 01:30"
    )


def test_a_hand_off_in_the_repeated_autumn_hour_is_its_first_occurrence():
    # 02:30 happens twice on 25 October 2026: first at +02:00 (00:30 UTC).
    assert local_instant(datetime(2026, 10, 25).date(), time(2, 30), BERLIN) == utc(
        "2026-10-25 00:30"
    )


def test_a_daily_hand_off_at_nine_stays_at_nine_local_across_the_october_change():
    start = datetime(2026, 10, 23, 9, 0, tzinfo=BERLIN)
    daily = Rotation(participants=["a", "b"], start=start, length=1, unit=DAYS)
    slots = rotation_slots(daily, start, utc("2026-10-27 07:00"), BERLIN)  # Tue 08:00 CET
    assert [s.start.astimezone(BERLIN).hour for s in slots] == [9, 9, 9, 9]
    assert [s.end - s.start for s in slots] == [
        timedelta(hours=24),
        timedelta(hours=25),  # Saturday 09:00 to Sunday 09:00 holds the repeated hour
        timedelta(hours=24),
        timedelta(hours=24),
    ]
    assert [s.who for s in slots] == ["a", "b", "a", "b"]


def test_a_weekly_shift_over_the_march_change_lasts_167_hours():
    start = datetime(2026, 3, 23, 9, 0, tzinfo=BERLIN)
    weekly = Rotation(participants=["a"], start=start, length=7, unit=DAYS)
    (slot,) = rotation_slots(weekly, start, utc("2026-03-23 09:00"), BERLIN)
    assert slot.end - slot.start == timedelta(hours=167)
    assert slot.end.astimezone(BERLIN).strftime("%a %H:%M") == "Mon 09:00"


def test_a_shift_in_hours_is_elapsed_time_so_its_wall_time_drifts_across_a_change():
    start = datetime(2026, 10, 24, 21, 0, tzinfo=BERLIN)
    nightly = Rotation(participants=["a", "b"], start=start, length=12, unit=HOURS)
    slots = rotation_slots(nightly, start, utc("2026-10-25 19:00"), BERLIN)  # 24 h later
    assert [s.end - s.start for s in slots] == [timedelta(hours=12)] * 2
    assert slots[0].end.astimezone(BERLIN).hour == 8  # 21:00 CEST + 12 h = 08:00 CET


def test_the_hand_off_time_sets_the_first_hand_off_after_a_mid_day_start():
    start = datetime(2026, 3, 18, 15, 0, tzinfo=BERLIN)  # a Wednesday afternoon
    daily = Rotation(participants=["a", "b"], start=start, length=1, handoff=time(9, 0))
    first, second = rotation_slots(daily, start, utc("2026-03-19 14:00"), BERLIN)
    assert (first.who, first.start, first.end) == ("a", start, utc("2026-03-19 08:00"))
    assert second.who == "b"


def test_a_higher_layer_wins_and_an_override_beats_every_layer():
    start = utc("2026-05-04 00:00")
    low = Rotation(participants=["low"], start=start, length=7)
    high = Rotation(participants=["high"], start=utc("2026-05-05 00:00"), length=1)
    cover = Slot("cover", utc("2026-05-05 10:00"), utc("2026-05-05 11:00"), OVERRIDE, 1)
    rotations = [low, Rotation(**{**high.__dict__, "end": utc("2026-05-06 00:00")})]
    assert slot_at(rotations, [cover], utc("2026-05-04 12:00"), UTC).who == "low"
    assert slot_at(rotations, [cover], utc("2026-05-05 09:00"), UTC).who == "high"
    assert slot_at(rotations, [cover], utc("2026-05-05 10:30"), UTC).who == "cover"
    assert slot_at(rotations, [cover], utc("2026-05-06 00:00"), UTC).who == "low"


def test_an_override_cuts_a_shift_into_two_pieces_with_their_own_ends():
    start = utc("2026-05-04 00:00")
    rotations = [Rotation(participants=["a"], start=start, length=1)]
    cover = Slot("b", utc("2026-05-04 10:00"), utc("2026-05-04 11:00"), OVERRIDE, 1)
    pieces = timeline(rotations, [cover], start, start + timedelta(days=1), UTC)
    assert [(p.who, p.start.hour, p.end.hour) for p in pieces] == [
        ("a", 0, 10),
        ("b", 10, 11),
        ("a", 11, 0),
    ]


def test_a_shift_in_hours_found_from_a_local_instant_of_the_same_zone_is_the_right_one():
    start = datetime(2026, 3, 28, 21, 0, tzinfo=BERLIN)
    hourly = Rotation(participants=["a", "b"], start=start, length=1, unit=HOURS)
    # 23:30 CEST on 29 March is 25.5 elapsed hours after 21:00 CET the day before, though
    # the wall clocks are 26.5 hours apart.
    at = datetime(2026, 3, 29, 23, 30, tzinfo=BERLIN)
    first = rotation_slots(hourly, at, utc("2026-03-29 21:45"), BERLIN)[0]
    assert (first.who, first.start) == ("b", utc("2026-03-29 21:00"))


def test_a_rotation_refuses_naive_times_and_empty_lengths():
    with pytest.raises(ValueError):
        Rotation(participants=["a"], start=datetime(2026, 1, 1), length=1)
    with pytest.raises(ValueError):
        Rotation(participants=["a"], start=utc("2026-01-01 00:00"), length=0)


def test_a_rotation_far_from_its_start_needs_no_walk_from_the_beginning():
    start = datetime(2020, 1, 6, 9, 0, tzinfo=BERLIN)
    weekly = Rotation(participants=["a", "b", "c"], start=start, length=7, handoff=time(9))
    at = datetime(2026, 3, 30, 10, 0, tzinfo=BERLIN)
    slot = slot_at([weekly], [], at, BERLIN)
    weeks = (at.date() - start.date()).days // 7
    assert slot.who == "abc"[weeks % 3]
    assert slot.start.astimezone(BERLIN) == datetime(2026, 3, 30, 9, 0, tzinfo=BERLIN)
