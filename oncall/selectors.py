"""Who is on call: the contract other apps (paging, escalation, the admin) read.

Every function loads a schedule's layers, participants and overrides in a constant number
of queries (or uses those prefetched by `schedules_for_timeline`) and leaves the arithmetic
to the pure `oncall.rotation`.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from oncall import rotation
from oncall.models import MAX_SHIFT_DAYS, Layer, LayerMember, Override, Schedule

# Overrides that ended this long before the window can no longer shape it (a shift is at
# most MAX_SHIFT_DAYS long), so they are not loaded.
LOOKBACK = timedelta(days=MAX_SHIFT_DAYS + 1)


@dataclass(frozen=True)
class Shift:
    """A final piece of the timeline: `user` is on call over [start, end) (UTC)."""

    user: object
    start: datetime
    end: datetime
    schedule: Schedule
    source: str  # "layer" or "override"
    key: object = None  # the layer shift or override it comes from (calendar UIDs)


def schedules_for_timeline(queryset: QuerySet | None = None, *, since: datetime | None = None):
    """Schedules with team, layers, ordered participants and overrides (ending after
    `since` - LOOKBACK) prefetched: five queries whatever the number of schedules."""
    since = (since or timezone.now()) - LOOKBACK
    members = LayerMember.objects.select_related("user").order_by("position")
    layers = Layer.objects.order_by("position", "pk").prefetch_related(
        Prefetch("members", queryset=members)
    )
    overrides = Override.objects.filter(end__gt=since).select_related("user").order_by("pk")
    queryset = Schedule.objects.all() if queryset is None else queryset
    return queryset.select_related("team").prefetch_related(
        Prefetch("layers", queryset=layers), Prefetch("overrides", queryset=overrides)
    )


def _loaded(schedule: Schedule, since: datetime) -> Schedule:
    cache = getattr(schedule, "_prefetched_objects_cache", {})
    if "layers" in cache and "overrides" in cache:
        return schedule
    return schedules_for_timeline(since=since).get(pk=schedule.pk)


def _plan(schedule: Schedule):
    """The schedule as pure values: rotations, override slots and the users they name."""
    users, rotations, overrides = {}, [], []
    for layer in schedule.layers.all():
        members = list(layer.members.all())
        users.update((member.user_id, member.user) for member in members)
        rotations.append(
            rotation.Rotation(
                participants=[member.user_id for member in members],
                start=layer.start,
                length=layer.shift_length,
                unit=layer.shift_unit,
                handoff=layer.handoff_time,
                end=layer.end,
                key=layer.pk,
            )
        )
    for override in schedule.overrides.all():
        users[override.user_id] = override.user
        slot_start, slot_end = override.start.astimezone(UTC), override.end.astimezone(UTC)
        slot = rotation.Slot(override.user_id, slot_start, slot_end, rotation.OVERRIDE, override.pk)
        overrides.append(slot)
    return rotations, overrides, users


def _shifts(schedule: Schedule, slots, users: dict) -> list[Shift]:
    return [
        Shift(users[slot.who], slot.start, slot.end, schedule, slot.source, slot.key)
        for slot in slots
    ]


def shifts_between(schedule: Schedule, start: datetime, end: datetime) -> list[Shift]:
    """The final timeline over [start, end): overrides cut layer shifts, higher layers cut
    lower ones. Pieces are whole (the first may start before `start`); consecutive pieces
    for the same user may stay separate."""
    schedule = _loaded(schedule, start)
    rotations, overrides, users = _plan(schedule)
    slots = rotation.timeline(rotations, overrides, start, end, schedule.tz)
    return _shifts(schedule, slots, users)


def shift_at(schedule: Schedule, at: datetime) -> Shift | None:
    """The final piece covering `at`, or None when nobody is on call then."""
    schedule = _loaded(schedule, at)
    rotations, overrides, users = _plan(schedule)
    slot = rotation.slot_at(rotations, overrides, at, schedule.tz)
    return _shifts(schedule, [slot], users)[0] if slot else None


def on_call_now(team=None, at: datetime | None = None) -> list[Shift]:
    """The shift covering `at` (default now) of every schedule that has someone on call,
    or only the schedules of `team`; ordered by team and schedule name."""
    at = at or timezone.now()
    queryset = Schedule.objects.filter(team=team) if team is not None else None
    schedules = schedules_for_timeline(queryset, since=at)
    return [shift for schedule in schedules if (shift := shift_at(schedule, at))]


def users_on_call(schedule: Schedule, at: datetime | None = None) -> list:
    """The people to page for `schedule` at `at` (default now): nobody, or one person."""
    shift = shift_at(schedule, at or timezone.now())
    return [shift.user] if shift else []


@dataclass(frozen=True)
class ScheduleNow:
    """One row of the "who is on call now" page."""

    schedule: Schedule
    current: Shift | None
    next: Shift | None


NEXT_HORIZON = timedelta(weeks=8)


def schedule_board(at: datetime | None = None) -> list[ScheduleNow]:
    """Every schedule with the shift running at `at` and the next person to take over
    (the first later piece naming someone else), within eight weeks."""
    at = at or timezone.now()
    rows = []
    for schedule in schedules_for_timeline(since=at):
        shifts = shifts_between(schedule, at, at + NEXT_HORIZON)
        current = next((s for s in shifts if s.start <= at < s.end), None)
        later = (s for s in shifts if s.start > at)
        upcoming = next((s for s in later if not current or s.user != current.user), None)
        rows.append(ScheduleNow(schedule, current, upcoming))
    return rows


def shifts_of_user(user, start: datetime, end: datetime) -> list[Shift]:
    """`user`'s final shifts across every schedule over [start, end), by start."""
    shifts = [
        shift
        for schedule in schedules_for_timeline(since=start)
        for shift in shifts_between(schedule, start, end)
        if shift.user.pk == user.pk
    ]
    return sorted(shifts, key=lambda shift: (shift.start, shift.schedule.name))
