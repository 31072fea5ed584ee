"""Writes of on-call schedules. Every change is saved with who made it (simple-history);
rules the models state (`full_clean`) are checked here too, so every door gets them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from incidents.exceptions import DomainError
from itsm.history import save_with_history
from oncall.models import CalendarFeed, Layer, LayerMember, Override, Schedule, new_token


@dataclass(frozen=True)
class LayerSpec:
    """A rotation layer as a caller describes it; `participants` in turn order."""

    start: datetime
    shift_length: int
    shift_unit: str
    participants: Sequence
    handoff_time: time | None = None
    end: datetime | None = None
    name: str = ""


def _checked(instance, *, exclude=(), prefix: str = "") -> None:
    """full_clean, reported as the one domain error (the first field at fault)."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        name = None if field == "__all__" else f"{prefix}{field}"
        raise DomainError(messages[0], field=name) from None


def check_participants(users: Sequence, *, field: str = "participants") -> None:
    """At least one participant, each an active account."""
    if not users:
        raise DomainError(_("Name at least one participant."), field=field)
    inactive = [user.get_username() for user in users if not user.is_active]
    if inactive:
        message = _("Not an active account: %(names)s.") % {"names": ", ".join(inactive)}
        raise DomainError(message, field=field)


def users_named(names: Sequence[str]) -> list:
    """The accounts named by username, in the order given (one query). Unknown or
    deactivated usernames are refused by name: every door (admin, API) asks this."""
    User = get_user_model()
    found = {user.get_username(): user for user in User.objects.filter(username__in=names)}
    unknown = [name for name in names if name not in found]
    if unknown:
        raise DomainError(_("No such user: %(names)s.") % {"names": ", ".join(unknown)})
    inactive = [name for name in names if not found[name].is_active]
    if inactive:
        raise DomainError(_("Not an active account: %(names)s.") % {"names": ", ".join(inactive)})
    return [found[name] for name in names]


@transaction.atomic
def schedule_create(
    *, name: str, team, time_zone: str, layers: Sequence[LayerSpec], actor
) -> Schedule:
    """Create a schedule with its layers, participants in the order given."""
    if not layers:
        raise DomainError(_("Add at least one rotation layer."), field="layers")
    schedule = Schedule(name=name, team=team, time_zone=time_zone)
    _checked(schedule)
    save_with_history(schedule, actor=actor, reason="Schedule created")
    for position, spec in enumerate(layers):
        layer_create(schedule=schedule, spec=spec, position=position, actor=actor)
    return schedule


def layer_create(*, schedule: Schedule, spec: LayerSpec, position: int, actor) -> Layer:
    """Add a rotation layer at `position` (higher positions win)."""
    layer = Layer(
        schedule=schedule,
        position=position,
        name=spec.name,
        start=spec.start,
        shift_length=spec.shift_length,
        shift_unit=spec.shift_unit,
        handoff_time=spec.handoff_time,
        end=spec.end,
    )
    _checked(layer, prefix=f"layers[{position}].")
    check_participants(spec.participants, field=f"layers[{position}].participants")
    save_with_history(layer, actor=actor, reason="Layer added")
    layer_set_participants(layer=layer, users=spec.participants)
    return layer


@transaction.atomic
def layer_set_participants(*, layer: Layer, users: Sequence) -> None:
    """Replace the turn order of `layer` with `users`, first to last."""
    check_participants(users)
    layer.members.all().delete()
    LayerMember.objects.bulk_create(
        LayerMember(layer=layer, user=user, position=position)
        for position, user in enumerate(users)
    )


@transaction.atomic
def override_create(
    *, schedule: Schedule, user, start: datetime, end: datetime, actor, reason: str = ""
) -> Override:
    """`user` covers [start, end) on `schedule`, whoever the layers name."""
    if not user.is_active:
        message = _("Not an active account: %(names)s.") % {"names": user.get_username()}
        raise DomainError(message, field="user")
    override = Override(schedule=schedule, user=user, start=start, end=end, reason=reason)
    _checked(override)
    save_with_history(override, actor=actor, reason="Override added")
    return override


@transaction.atomic
def schedule_rotate_calendar_token(*, schedule: Schedule, actor) -> Schedule:
    """Give the schedule's calendar feed a new secret URL; the old one answers 404."""
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    schedule.calendar_token = new_token()
    save_with_history(
        schedule, actor=actor, reason="Calendar link rotated", fields=["calendar_token"]
    )
    return schedule


def calendar_feed_for(*, user) -> CalendarFeed:
    """The user's personal feed, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_rotate(*, user) -> CalendarFeed:
    """A new secret for the user's personal feed; the old URL answers 404."""
    feed = calendar_feed_for(user=user)
    feed.token = new_token()
    feed.save(update_fields=["token", "rotated_at"])
    return feed
