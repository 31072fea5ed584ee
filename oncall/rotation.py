"""Who is on call, computed from plain values: no database, no Django.

A rotation hands a shift from one participant to the next, in order, starting with the
first participant at `start`. Shift lengths are counted in one of two ways:

* in hours: elapsed time. A 12-hour shift is 12 hours long, whatever the clocks do.
* in days: calendar days on the schedule's local wall clock. Hand-offs happen every N days
  at the hand-off time (default: the local time of `start`), so a daily or weekly hand-off
  at 09:00 Europe/Berlin stays at 09:00 local across a daylight-saving change; the shift
  over the change lasts 23 or 25 hours per day changed. The first shift runs from `start`
  to the first hand-off N days after the local date of `start`.

Local times are read as RFC 5545 (iCalendar) reads them: a time that occurs twice (the
autumn change) is its first occurrence, and a time that does not exist (the spring gap) is
read with the offset before the gap, so it moves forward by the gap's length (02:30 on the
day of the March change in Berlin becomes 03:30). zoneinfo does exactly this with fold=0.

The final timeline stacks the layers: an override covering an instant wins, otherwise the
last layer (highest) that has a shift covering it, otherwise nobody.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HOURS = "hours"
DAYS = "days"
LAYER = "layer"
OVERRIDE = "override"


@dataclass(frozen=True)
class Rotation:
    """One layer: `participants` take turns in order (any hashable ids)."""

    participants: Sequence[Hashable]
    start: datetime
    length: int
    unit: str = DAYS
    handoff: time | None = None
    end: datetime | None = None
    key: Hashable = None  # names the layer in the keys of its slots

    def __post_init__(self):
        if self.start.tzinfo is None or (self.end is not None and self.end.tzinfo is None):
            raise ValueError("Rotation start and end must be aware datetimes.")
        if self.length <= 0:
            raise ValueError("A shift must be at least one hour or one day long.")
        if self.unit not in (HOURS, DAYS):
            raise ValueError(f"Unknown shift unit {self.unit!r}.")


@dataclass(frozen=True)
class Slot:
    """Someone on call over [start, end), in UTC. `key` names the shift or override it comes
    from, so a piece of it keeps a stable identity (calendar UIDs)."""

    who: Hashable
    start: datetime
    end: datetime
    source: str = LAYER
    key: Hashable = None


def local_instant(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of `wall` o'clock on `day` in `tz`: the first of two, or moved
    forward past a gap (fold=0, as RFC 5545 reads local times)."""
    return datetime.combine(day, wall.replace(fold=0, tzinfo=tz)).astimezone(UTC)


def _boundary(rotation: Rotation, index: int, tz: ZoneInfo) -> datetime:
    """Start of shift `index` (0 is the first, which begins at the rotation's start)."""
    start = rotation.start.astimezone(UTC)
    if index <= 0:
        return start
    if rotation.unit == HOURS:
        return start + timedelta(hours=rotation.length * index)
    local = rotation.start.astimezone(tz)
    wall = rotation.handoff or local.time()
    return local_instant(local.date() + timedelta(days=rotation.length * index), wall, tz)


def _first_index(rotation: Rotation, at: datetime, tz: ZoneInfo) -> int:
    """An index whose shift starts at or before `at` (or 0), close below the right one."""
    # In UTC: between two times of one zone, Python subtracts wall clocks.
    elapsed = at.astimezone(UTC) - rotation.start.astimezone(UTC)
    if elapsed <= timedelta(0):
        return 0
    if rotation.unit == HOURS:
        return elapsed // timedelta(hours=rotation.length)
    # A local day is 23 to 25 hours long: two shifts back is always early enough.
    return max(0, elapsed.days // rotation.length - 2)


def rotation_slots(
    rotation: Rotation, start: datetime, end: datetime, tz: ZoneInfo, *, layer: Hashable = None
) -> list[Slot]:
    """The shifts of `rotation` that overlap [start, end), whole (not cut to the window)."""
    people = list(rotation.participants)
    if not people or end <= start:
        return []
    slots = []
    index = _first_index(rotation, start, tz)
    shift_start = _boundary(rotation, index, tz)
    while shift_start < end and (rotation.end is None or shift_start < rotation.end):
        shift_end = _boundary(rotation, index + 1, tz)
        if rotation.end is not None:
            shift_end = min(shift_end, rotation.end.astimezone(UTC))
        if shift_end > start and shift_end > shift_start:
            who = people[index % len(people)]
            slots.append(Slot(who, shift_start, shift_end, LAYER, (layer, index)))
        index += 1
        shift_start = shift_end
    return slots


def _overlapping(slots: list[Slot], start: datetime, end: datetime) -> list[Slot]:
    return [slot for slot in slots if slot.start < end and slot.end > start]


def _winner(layers: list[list[Slot]], overrides: list[Slot], at: datetime) -> Slot | None:
    """The slot that decides `at`: the last-listed override covering it, else the shift of
    the highest layer covering it."""
    for slot in reversed(overrides):
        if slot.start <= at < slot.end:
            return slot
    for slots in reversed(layers):
        for slot in slots:
            if slot.start <= at < slot.end:
                return slot
    return None


def final_timeline(
    layers: list[list[Slot]], overrides: list[Slot], start: datetime, end: datetime
) -> list[Slot]:
    """Merge layer shifts (lowest layer first) and overrides into the pieces that decide
    [start, end): each piece is a part of one shift or override, between two consecutive
    change points. Pieces of one slot that touch are joined again."""
    layers = [_overlapping(slots, start, end) for slots in layers]
    overrides = _overlapping(overrides, start, end)
    points = {start, end}
    for slot in [*overrides, *(slot for slots in layers for slot in slots)]:
        points.update(point for point in (slot.start, slot.end) if start < point < end)
    ordered = sorted(points)
    pieces: list[Slot] = []
    for piece_start, piece_end in zip(ordered, ordered[1:], strict=False):
        slot = _winner(layers, overrides, piece_start)
        if slot is None:
            continue
        last = pieces[-1] if pieces else None
        if last and last.key == slot.key and last.source == slot.source and last.end == piece_start:
            pieces[-1] = Slot(slot.who, last.start, piece_end, slot.source, slot.key)
        else:
            pieces.append(Slot(slot.who, piece_start, piece_end, slot.source, slot.key))
    return pieces


def _layer_slots(rotations: list[Rotation], start, end, tz: ZoneInfo) -> list[list[Slot]]:
    return [
        rotation_slots(r, start, end, tz, layer=index if r.key is None else r.key)
        for index, r in enumerate(rotations)
    ]


def timeline(
    rotations: list[Rotation],
    overrides: list[Slot],
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
) -> list[Slot]:
    """The final pieces that overlap [start, end), each whole: a piece that began before
    `start` or ends after `end` keeps its true start and end (so "on call until" is right
    and a calendar event keeps its identity whatever the window)."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return []
    layers = _layer_slots(rotations, start, end, tz)
    covering = [*_overlapping(overrides, start, end), *(s for slots in layers for s in slots)]
    # Every slot touching the window lies inside the widened window, and so does everything
    # that can cut it: computing over the widened window gives whole pieces.
    wide_start = min([start, *(slot.start for slot in covering)])
    wide_end = max([end, *(slot.end for slot in covering)])
    layers = _layer_slots(rotations, wide_start, wide_end, tz)
    pieces = final_timeline(layers, overrides, wide_start, wide_end)
    return [piece for piece in pieces if piece.start < end and piece.end > start]


def slot_at(rotations: list[Rotation], overrides: list[Slot], at: datetime, tz: ZoneInfo):
    """The whole final piece covering `at`, or None when nobody is on call."""
    at = at.astimezone(UTC)
    pieces = timeline(rotations, overrides, at, at + timedelta(microseconds=1), tz)
    return pieces[0] if pieces else None
