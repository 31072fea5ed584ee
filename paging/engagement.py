"""What starts and stops paging, decided from the incident's events.

Run by the event outbox (a batch handler registered in apps.py), so it reacts to every
door alike. Every function here is idempotent: the outbox may hand over an event twice.
"""

from django.db.models import Q
from django.utils import timezone

from incidents.choices import OPEN_STATUSES, Channel, EventKind
from incidents.events import record_event
from incidents.models import Incident, IncidentEvent
from paging.models import EscalationPolicy
from paging.services import (
    MAJOR,
    escalation_fire,
    escalation_start,
    escalations_stop,
    page_people,
)
from paging.targets import Paged, incident_managers

START_KINDS = {
    EventKind.CREATED: "created",
    EventKind.PRIORITY_CHANGED: "priority",
    EventKind.ASSIGNED: "assigned",
    EventKind.REOPENED: "reopened",
}
# Acknowledging (or starting work) answers a page; finishing the incident ends all paging.
ANSWER_KINDS = {EventKind.ACKNOWLEDGED, EventKind.STARTED}
END_KINDS = {EventKind.RESOLVED, EventKind.CANCELLED, EventKind.CLOSED, EventKind.MERGED}


def engage_events(events: list[IncidentEvent]) -> None:
    """The outbox handler: start, stop or widen paging for each relevant event."""
    starts = [e for e in events if e.kind in START_KINDS]
    policies = _policies({e.incident.team_id for e in starts})
    for event in events:
        if event.kind in START_KINDS:
            _start(event, policies)
        elif event.kind in ANSWER_KINDS:
            escalations_stop(incident_id=event.incident_id, reason="acknowledged")
        elif event.kind in END_KINDS:
            reason = f"incident {event.get_kind_display().lower()}"
            escalations_stop(incident_id=event.incident_id, reason=reason)
        elif event.kind == EventKind.MAJOR_DECLARED:
            major_engage(incident_id=event.incident_id)


def _policies(team_ids) -> dict:
    """Active policies of these teams (one query, none when no event needs one)."""
    team_ids.discard(None)
    if not team_ids:
        return {}
    found = EscalationPolicy.objects.filter(team_id__in=team_ids, active=True)
    return {policy.team_id: policy for policy in found.select_related("team")}


def _start(event: IncidentEvent, policies: dict) -> None:
    incident = event.incident
    policy = policies.get(incident.team_id)
    if policy is None or incident.status not in OPEN_STATUSES or incident.acknowledged_at:
        return
    escalation = escalation_start(incident=incident, policy=policy, reason=START_KINDS[event.kind])
    escalation_fire(escalation_id=escalation.pk)


def affected_teams(incident: Incident) -> list:
    """The incident's team and the owner teams of every affected service: its own and
    those of the incidents linked under it."""
    from incidents.models import Team

    children = Incident.objects.filter(parent=incident)
    ids = {incident.team_id, getattr(incident.service, "owner_team_id", None)}
    ids |= set(children.values_list("team_id", flat=True))
    ids |= set(children.values_list("service__owner_team_id", flat=True))
    ids.discard(None)
    return list(Team.objects.filter(pk__in=ids).order_by("name"))


def major_engage(*, incident_id: int) -> None:
    """Declaring a major incident pages the incident managers at once and runs the
    escalation policy of every affected team (whatever the priority), posts to those teams'
    channels, and says on the timeline who was engaged."""
    from messaging.services import channels_post

    incident = Incident.objects.select_related("service", "team").get(pk=incident_id)
    if incident.status not in OPEN_STATUSES or not incident.major:
        return
    now = timezone.now()
    managers = [
        Paged(user, "incident manager: major incident declared") for user in incident_managers()
    ]
    page_people(
        incident=incident,
        people=managers,
        escalation=None,
        step=None,
        now=now,
        tag=f"major{incident.pk}",
    )
    teams = affected_teams(incident)
    policies = EscalationPolicy.objects.filter(team__in=teams, active=True).select_related("team")
    escalations = [
        escalation_start(incident=incident, policy=p, reason=MAJOR, now=now) for p in policies
    ]
    for team in teams:
        if team.pk != incident.team_id:  # the team's own channel hears it from messaging
            channels_post(
                team=team,
                incident=incident,
                kind="major_declared",
                title=f"[{incident.priority}] {incident.number} declared a major incident",
                body=f"{incident.number} {incident.title}\nYour team is engaged.",
            )
    record_event(
        incident=incident,
        kind=EventKind.ESCALATED,
        channel=Channel.SYSTEM,
        data={
            "major": True,
            "managers": [p.user.get_username() for p in managers],
            "teams": [team.name for team in teams],
            "policies": [str(p) for p in policies],
        },
        at=now,
    )
    for escalation in escalations:
        escalation_fire(escalation_id=escalation.pk, now=now)


def due_escalation_ids(now=None, limit: int = 500) -> list[int]:
    from paging.models import Escalation, EscalationState

    now = now or timezone.now()
    due = Escalation.objects.filter(Q(state=EscalationState.ACTIVE), due_at__lte=now)
    return list(due.order_by("due_at").values_list("pk", flat=True)[:limit])
