"""What a response plan does when an incident starts to matter, decided from its events.

Run by the event outbox (`register_batch_handler` in apps.py), so every door (admin, API, portal,
e-mail, monitoring) triggers it alike, after the change is committed. An incident declared
major, or created or re-prioritised into one of the plan's `trigger_priorities`, gets the
plan's checklist and its engaged teams. Idempotent, as outbox handlers must be: the
checklist attaches once per incident and plan, an escalation already running is left
alone, and a notice to a team is a page with a unique key.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.actors import system_user
from incidents.choices import OPEN_STATUSES, EventKind
from incidents.models import Incident, IncidentEvent
from incidents.roles import can_work_incidents
from preparedness.models import ResponsePlan
from preparedness.services import plan_attach_checklist, plans_for_services


def triggering_priority(event: IncidentEvent) -> bool | None:
    """True when the event declares the incident major; else the priority it brings the
    incident to (creation or a change), or None when the event is of no concern."""
    data = event.data or {}
    if event.kind == EventKind.MAJOR_DECLARED or (
        event.kind == EventKind.CREATED and data.get("major")
    ):
        return True
    if event.kind == EventKind.CREATED:
        return data.get("priority")
    if event.kind == EventKind.PRIORITY_CHANGED:
        return data.get("to")
    return None


def on_incident_events(events: list[IncidentEvent]) -> None:
    """The outbox handler, given a batch: attach the plan's checklist and engage its teams.
    The incidents concerned and their plans are read once for the batch (two queries), so a
    burst of new incidents that trigger nothing costs no query per incident."""
    triggers = {event.pk: triggering_priority(event) for event in events}
    concerned = [event for event in events if triggers[event.pk] is not None]
    if not concerned:
        return
    incidents = Incident.objects.select_related("service", "team").in_bulk(
        {event.incident_id for event in concerned}
    )
    plans = plans_for_services({incident.service_id for incident in incidents.values()})
    for event in concerned:
        incident = incidents.get(event.incident_id)
        if incident is not None and incident.status in OPEN_STATUSES:
            _engage(event, incident, plans[incident.service_id], triggers[event.pk])


def _engage(event: IncidentEvent, incident: Incident, plan, trigger) -> None:
    if plan is None or not (trigger is True or plan.triggers_on(trigger)):
        return
    # The person who declared it or raised the priority attached it; an end user's report
    # (or an alert) did not: the system did.
    actor = event.actor if event.actor and can_work_incidents(event.actor) else system_user()
    plan_attach_checklist(incident=incident, plan=plan, actor=actor)
    plan_engage(incident=incident, plan=plan, since=event.created_at)


def plan_engage(*, incident: Incident, plan: ResponsePlan, since) -> None:
    """Each team the plan engages at the incident's priority (every engaged team when it
    is major): through its escalation policy when it has an active one, else each member
    (and the lead) is told by e-mail. A policy started for the incident since `since` (the
    triggering event) has engaged its team already: paging's own major engagement, or this
    same event handled before."""
    from paging.models import Escalation
    from paging.services import MAJOR, escalation_fire, escalation_start, policy_for

    now = timezone.now()
    for engagement in plan.engagements.select_related("team__lead"):
        if not (incident.major or incident.priority in (engagement.priorities or [])):
            continue
        policy = policy_for(engagement.team_id)
        if policy is None:
            _notify_team(incident=incident, plan=plan, team=engagement.team, now=now)
            continue
        started = Escalation.objects.filter(incident=incident, policy=policy)
        if started.filter(started_at__gte=since).exists():
            continue
        reason = MAJOR if incident.major else "plan"
        escalation = escalation_start(incident=incident, policy=policy, reason=reason, now=now)
        escalation_fire(escalation_id=escalation.pk, now=now)


def _notify_team(*, incident: Incident, plan: ResponsePlan, team, now) -> None:
    """E-mail the team's lead and members once (a page with a unique key per plan and
    team); for a confidential incident only those who may see it."""
    from incidents.visibility import confidential_viewer_ids
    from paging.services import page_people
    from paging.targets import Paged

    people = {user.pk: user for user in team.members.filter(is_active=True)}
    if team.lead is not None and team.lead.is_active:
        people.setdefault(team.lead.pk, team.lead)
    if incident.confidential:
        allowed = confidential_viewer_ids(set(people)) | {incident.assignee_id}
        people = {pk: user for pk, user in people.items() if pk in allowed}
    why = _("engaged by response plan %(plan)s") % {"plan": plan.name}
    page_people(
        incident=incident,
        people=[Paged(user, why[:100]) for user in people.values()],
        escalation=None,
        step=None,
        now=now,
        email_only=True,
        tag=f"plan{plan.pk}t{team.pk}",
    )
