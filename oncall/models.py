"""On-call schedules: per team, rotation layers of ordered participants, and overrides.

Writes go through `oncall.services`; who is on call is read with `oncall.selectors`
(computed by the pure `oncall.rotation`).
"""

import secrets
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsm.text import isolate
from oncall import rotation

# Long enough for monthly rotations; the on-call pages look this far back for the start
# of the shift running now (see selectors.LOOKBACK).
MAX_SHIFT_DAYS = 31


def new_token() -> str:
    """An unguessable calendar secret (256 bits)."""
    return secrets.token_urlsafe(32)


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())  # reads the zone database: once per process


def validate_time_zone(value: str) -> None:
    """An IANA zone name such as Europe/Berlin (zoneinfo knows it)."""
    try:
        known = value in _zone_names() and ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        known = False
    if not known:
        raise ValidationError(
            _("“%(value)s” is not a time zone: use an IANA name such as Europe/Berlin."),
            params={"value": value},
            code="invalid_time_zone",
        )


FIRST_YEAR, LAST_YEAR = 1970, 2999


def validate_moment(value) -> None:
    """A date a schedule can mean; far years would overflow the calendar arithmetic."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Give a date between the years %(first)s and %(last)s."),
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
            code="out_of_range",
        )


def check_period(start, end) -> None:
    """End after start, for layers and overrides (an end is optional on layers)."""
    if start and end and end <= start:
        raise ValidationError({"end": "The end must be after the start."})


class ShiftUnit(models.TextChoices):
    HOURS = rotation.HOURS, "hours (elapsed time)"
    DAYS = rotation.DAYS, "days (local calendar days)"


def _default_time_zone() -> str:
    return settings.TIME_ZONE


class Schedule(models.Model):
    """Who of a team is on call when: layers stacked by position, overrides on top.

    Local times (the hand-off time of daily and weekly rotations, naive times typed in the
    admin or the API) are read in `time_zone`. `calendar_token` is the secret in the URL of
    the schedule's iCalendar feed; rotating it invalidates every copy of the old URL."""

    name = models.CharField(max_length=100, unique=True)
    team = models.ForeignKey("incidents.Team", on_delete=models.PROTECT, related_name="schedules")
    time_zone = models.CharField(
        max_length=64,
        default=_default_time_zone,
        validators=[validate_time_zone],
        help_text=_("IANA name, such as Europe/Berlin: hand-off times are local to it."),
    )
    calendar_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The calendar secret stays out of history: history is readable by more people.
    history = HistoricalRecords(excluded_fields=["calendar_token"])

    class Meta:
        ordering = ["team__name", "name"]

    def __str__(self):
        return isolate(self.name)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class Layer(models.Model):
    """A rotation: participants take turns, in order, for shifts of a fixed length.

    Shifts counted in days hand off at `handoff_time` local time (default: the local time
    of `start`) every N calendar days; shifts counted in hours are elapsed time and ignore
    `handoff_time`. The highest position wins where layers overlap."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="layers")
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Higher layers win where they have someone on call.")
    )
    name = models.CharField(max_length=100, blank=True)
    start = models.DateTimeField(
        validators=[validate_moment],
        help_text=_("When the first participant's first shift begins."),
    )
    shift_length = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SHIFT_DAYS * 24)]
    )
    shift_unit = models.CharField(max_length=5, choices=ShiftUnit.choices, default=ShiftUnit.DAYS)
    handoff_time = models.TimeField(
        "hand-off time",
        null=True,
        blank=True,
        help_text=_("Local time of hand-offs for shifts in days; blank: the time of the start."),
    )
    end = models.DateTimeField(
        null=True, blank=True, validators=[validate_moment], help_text=_("Blank: runs on forever.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "position", "pk"]

    def __str__(self):
        return isolate(self.name or f"Layer {self.position + 1}")

    def clean(self):
        check_period(self.start, self.end)
        if self.shift_unit == ShiftUnit.DAYS and (self.shift_length or 0) > MAX_SHIFT_DAYS:
            raise ValidationError(
                {"shift_length": f"A shift is at most {MAX_SHIFT_DAYS} days long."}
            )
        if self.shift_unit == ShiftUnit.HOURS and self.handoff_time:
            raise ValidationError(
                {"handoff_time": "The hand-off time applies to shifts counted in days."}
            )


class LayerMember(models.Model):
    """A participant of a layer, at its place in the turn order."""

    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oncall_turns"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["layer", "position"]
        constraints = [
            models.UniqueConstraint(fields=["layer", "position"], name="layer_member_position")
        ]

    def __str__(self):
        return isolate(self.user.get_username())


class Override(models.Model):
    """Someone covers the period [start, end) in place of whoever the layers name."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oncall_overrides"
    )
    start = models.DateTimeField(validators=[validate_moment])
    end = models.DateTimeField(validators=[validate_moment])
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "start", "pk"]
        indexes = [models.Index(fields=["schedule", "end"], name="override_schedule_end")]

    def __str__(self):
        return isolate(f"{self.user.get_username()} covers {self.start:%Y-%m-%d %H:%M}")

    def clean(self):
        check_period(self.start, self.end)


class CalendarFeed(models.Model):
    """A staff user's personal iCalendar feed of their own shifts, by secret token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oncall_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    rotated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return isolate(f"Calendar of {self.user.get_username()}")
