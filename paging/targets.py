"""Who a step pages: its targets resolved to people at one instant."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from incidents.roles import MANAGERS
from paging.models import EscalationStep


@dataclass(frozen=True)
class Paged:
    """A person to page and why (shown on the timeline and in the message)."""

    user: object
    reason: str


def incident_managers() -> list:
    """Active members of the Incident managers group, in a stable order."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=MANAGERS)
        .distinct()
        .order_by("username")
    )


def _targets(step: EscalationStep, at):
    from oncall.selectors import users_on_call

    for schedule in step.schedules.all():
        for user in users_on_call(schedule, at):
            yield Paged(user, f"on call in {schedule.name}")
    for user in step.users.all():
        yield Paged(user, "named in the escalation policy")
    team = step.policy.team
    if step.team_lead and team.lead is not None:
        yield Paged(team.lead, f"lead of {team.name}")
    if step.incident_managers:
        yield from (Paged(user, "incident manager") for user in incident_managers())


def step_people(step: EscalationStep, at) -> list[Paged]:
    """Everyone the step pages at `at`, each person once (the first reason wins), active
    accounts only."""
    seen, people = set(), []
    for paged in _targets(step, at):
        if paged.user.is_active and paged.user.pk not in seen:
            seen.add(paged.user.pk)
            people.append(paged)
    return people
