"""On-call schedules over the API. Naive datetimes in a schedule or override are read in
the schedule's time zone; `at` of /oncall/ must carry an offset (several zones may apply)."""

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.strict import StrictSerializer
from incidents.exceptions import DomainError
from incidents.models import Team
from oncall.models import (
    MAX_SHIFT_DAYS,
    Schedule,
    ShiftUnit,
    check_period,
    validate_moment,
    validate_time_zone,
)
from oncall.services import LayerSpec, users_named

LOCAL = "Without an offset, read in the schedule's time zone."


class MomentField(serializers.DateTimeField):
    """An ISO 8601 date and time within the years a schedule can mean."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(_moment)


class AwareDateTimeField(MomentField):
    """An ISO 8601 date and time that must carry its UTC offset."""

    default_error_messages = {
        "naive": "Give the UTC offset too, for example 2026-03-30T09:00:00+02:00.",
    }

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)


def _moment(value) -> None:
    try:
        validate_moment(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from None


def _time_zone(value: str) -> str:
    try:
        validate_time_zone(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from None
    return value


def _users(names: list[str]) -> list:
    try:
        return users_named(names)
    except DomainError as error:
        raise serializers.ValidationError(error.message) from None


class LayerInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100, required=False, default="")
    start = MomentField(help_text=f"The first shift begins here. {LOCAL}")
    shift_hours = serializers.IntegerField(
        min_value=1,
        max_value=MAX_SHIFT_DAYS * 24,
        required=False,
        help_text="Shift length in elapsed hours (or give shift_days).",
    )
    shift_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_SHIFT_DAYS,
        required=False,
        help_text="Shift length in local calendar days: hand-offs stay at the same local "
        "time across daylight-saving changes (or give shift_hours).",
    )
    handoff_time = serializers.TimeField(
        required=False,
        allow_null=True,
        help_text="Local time of hand-offs (HH:MM), with shift_days only; default: the time "
        "of `start`.",
    )
    end = MomentField(required=False, allow_null=True, help_text=f"The layer stops here. {LOCAL}")
    participants = serializers.ListField(
        child=serializers.CharField(max_length=150),
        allow_empty=False,
        max_length=100,
        help_text="Usernames in turn order; the first takes the first shift.",
    )

    def validate_participants(self, value: list[str]) -> list:
        return _users(value)

    def validate(self, data):
        hours, days = data.get("shift_hours"), data.get("shift_days")
        if (hours is None) == (days is None):
            raise serializers.ValidationError(
                {"shift_hours": "Give the shift length as shift_hours or shift_days (one)."}
            )
        if hours is not None and data.get("handoff_time"):
            raise serializers.ValidationError(
                {"handoff_time": "The hand-off time applies to shift_days only."}
            )
        try:
            check_period(data["start"], data.get("end"))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return data

    def spec(self, data) -> LayerSpec:
        hours = data.get("shift_hours")
        return LayerSpec(
            name=data.get("name", ""),
            start=data["start"],
            shift_length=hours or data["shift_days"],
            shift_unit=ShiftUnit.HOURS if hours else ShiftUnit.DAYS,
            handoff_time=data.get("handoff_time"),
            end=data.get("end"),
            participants=data["participants"],
        )


class ScheduleInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    team = serializers.SlugRelatedField(
        slug_field="slug", queryset=Team.objects.all(), help_text="The team's slug."
    )
    time_zone = serializers.CharField(
        max_length=64, required=False, help_text="IANA name such as Europe/Berlin."
    )
    layers = LayerInputSerializer(many=True, allow_empty=False, max_length=20)

    def to_internal_value(self, data):
        """Naive times of the layers are read in the time zone being given (or the default)."""
        zone = data.get("time_zone") if isinstance(data, dict) else None
        try:
            tz = ZoneInfo(_time_zone(zone)) if isinstance(zone, str) else None
        except serializers.ValidationError:
            tz = None  # reported by validate_time_zone
        with timezone.override(tz or timezone.get_default_timezone()):
            return super().to_internal_value(data)

    def validate_name(self, value: str) -> str:
        if Schedule.objects.filter(name=value).exists():
            raise serializers.ValidationError(_("A schedule with this name exists."))
        return value

    def validate_time_zone(self, value: str) -> str:
        return _time_zone(value)


class OverrideInputSerializer(StrictSerializer):
    user = serializers.CharField(max_length=150, help_text="Username of the person covering.")
    start = MomentField(help_text=LOCAL)
    end = MomentField(help_text=f"Not included. {LOCAL}")
    reason = serializers.CharField(max_length=200, required=False, default="")

    def validate_user(self, value: str):
        return _users([value])[0]

    def validate(self, data):
        try:
            check_period(data["start"], data["end"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return data


class LayerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    position = serializers.IntegerField()
    start = serializers.DateTimeField()
    shift_hours = serializers.SerializerMethodField()
    shift_days = serializers.SerializerMethodField()
    handoff_time = serializers.TimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    participants = serializers.SerializerMethodField()

    def get_shift_hours(self, layer) -> int | None:
        return layer.shift_length if layer.shift_unit == ShiftUnit.HOURS else None

    def get_shift_days(self, layer) -> int | None:
        return layer.shift_length if layer.shift_unit == ShiftUnit.DAYS else None

    def get_participants(self, layer) -> list[str]:
        return [member.user.get_username() for member in layer.members.all()]


class OverrideSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.CharField(source="user.username")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    reason = serializers.CharField()


class ScheduleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    team = serializers.CharField(source="team.slug", help_text="The team's slug.")
    time_zone = serializers.CharField()
    layers = LayerSerializer(many=True)
    overrides = OverrideSerializer(
        many=True, help_text="Overrides that have not ended or ended in the last 32 days."
    )


class OnCallQuerySerializer(StrictSerializer):
    # A CharField, not a SlugRelatedField: it refuses NUL and other text the database
    # cannot compare before any query is made.
    team = serializers.CharField(max_length=100, required=False)
    at = AwareDateTimeField(required=False)

    def validate_team(self, value: str) -> Team:
        team = Team.objects.filter(slug=value).first()
        if team is None:
            raise serializers.ValidationError(f"No team with the slug “{value}”.")
        return team

    def to_internal_value(self, data):
        blank = [name for name in self.fields if name in data and not str(data[name]).strip()]
        if blank:  # "?at=" is a mistake, not a request for the default
            raise serializers.ValidationError(
                {name: ["Give a value or leave it out."] for name in blank}
            )
        return super().to_internal_value(data)


class OnCallSerializer(serializers.Serializer):
    team = serializers.CharField(source="schedule.team.slug")
    schedule = serializers.CharField(source="schedule.name")
    user = serializers.CharField(source="user.username")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    source = serializers.ChoiceField(
        choices=["layer", "override"], help_text="A rotation layer or an override."
    )
