"""Reads of the messaging app: whom to reach how, and which channels a team has."""

from collections import defaultdict
from dataclasses import dataclass, field

from messaging.models import ContactKind, ContactMethod, ContactRule, TeamChannel


@dataclass(frozen=True)
class PlannedContact:
    """One step of a person's contact plan. `target` is the clear address or Apprise URL:
    pass it to the sender, never to a log or a page."""

    method: ContactMethod | None
    kind: str
    target: str = field(repr=False)
    delay_minutes: int


def contact_plan(user, priority: str) -> list[PlannedContact]:
    """How to reach `user` about an incident of `priority`, ordered by delay: their rules
    that apply to the priority and whose method is active. Without any, one e-mail to the
    user's own address at once (nothing when they have no address)."""
    rules = (
        ContactRule.objects.filter(user=user, contact_method__active=True)
        .select_related("contact_method")
        .order_by("delay_minutes", "pk")
    )
    plan = [
        PlannedContact(
            method=rule.contact_method,
            kind=rule.contact_method.kind,
            target=rule.contact_method.target,
            delay_minutes=rule.delay_minutes,
        )
        for rule in rules
        if rule.applies_to(priority) and rule.contact_method.target
    ]
    if plan:
        return plan
    email = getattr(user, "email", "")
    return [PlannedContact(None, ContactKind.EMAIL, email, 0)] if email else []


def active_channels_by_team(team_ids) -> dict[int, list[TeamChannel]]:
    """The active channels of these teams, in one query."""
    channels = defaultdict(list)
    for channel in TeamChannel.objects.filter(active=True, team_id__in=set(team_ids)):
        channels[channel.team_id].append(channel)
    return channels
