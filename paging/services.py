"""Starting, advancing and stopping escalations, and creating the pages each step sends.

The state is the `Escalation` row. `escalation_fire` locks it, then the incident (the same
lock `incident_acknowledge` takes), so an acknowledgement and a step are serialised: a step
that gets the lock after the acknowledgement sees it and stops instead of paging. Pages are
rows (`Page`) sent after commit by `paging.delivery`; a step fired twice creates no second
page (unique `dedup_key`).
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.choices import OPEN_STATUSES, Channel, EventKind
from incidents.events import record_event
from incidents.models import Incident
from paging.models import Escalation, EscalationPolicy, EscalationState, Page, PageStatus
from paging.targets import Paged, step_people

logger = logging.getLogger(__name__)
MAJOR = "major"
# A major declaration, or a priority raised into the paging range, runs a policy again.
RESTARTING = {MAJOR, "priority"}


def _enqueue(page_ids: list[int]) -> None:
    if page_ids:
        from paging.tasks import send_pages

        transaction.on_commit(partial(send_pages.delay, page_ids), robust=True)


def policy_for(team_id) -> EscalationPolicy | None:
    if team_id is None:
        return None
    return (
        EscalationPolicy.objects.filter(team_id=team_id, active=True).select_related("team").first()
    )


@transaction.atomic
def escalation_start(*, incident: Incident, policy: EscalationPolicy, reason: str, now=None):
    """Start (or, for a major declaration or a raised priority, restart) the policy for the
    incident, its first step due at once: the caller fires it (`escalation_fire`), or beat
    does within seconds. Idempotent: an active escalation is left alone."""
    now = now or timezone.now()
    fresh = dict(state=EscalationState.ACTIVE, step=0, cycle=0, due_at=now, started_at=now)
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                incident=incident, policy=policy, reason=reason, **fresh
            )
    except IntegrityError:
        escalation = Escalation.objects.select_for_update().get(incident=incident, policy=policy)
        if escalation.state == EscalationState.ACTIVE or reason not in RESTARTING:
            return escalation
        for name, value in {**fresh, "reason": reason, "stopped_at": None}.items():
            setattr(escalation, name, value)
        escalation.stop_reason = ""
        escalation.save()
    return escalation


def escalations_stop(*, incident_id: int, reason: str) -> int:
    """Stop the incident's active escalations and drop the pages still waiting to go."""
    now = timezone.now()
    active = Escalation.objects.filter(incident_id=incident_id, state=EscalationState.ACTIVE)
    stopped = active.update(state=EscalationState.STOPPED, stopped_at=now, stop_reason=reason)
    waiting = Page.objects.filter(incident_id=incident_id, status=PageStatus.PENDING)
    waiting.update(status=PageStatus.CANCELLED, last_error=reason[:500])
    return stopped


def still_needed(incident: Incident, escalation: Escalation | None) -> str:
    """Why paging for this incident should stop now ('' while it should go on). A major
    engagement of an incident acknowledged before the declaration goes on until someone
    answers one of its pages."""
    if incident.status not in OPEN_STATUSES:
        return f"incident {incident.get_status_display().lower()}"
    if incident.acknowledged_at is None:
        return ""
    if escalation is not None and escalation.reason == MAJOR:
        return "" if incident.acknowledged_at < escalation.started_at else "incident acknowledged"
    return "incident acknowledged" if escalation is not None else ""


def _advance(escalation: Escalation, steps: list, now) -> None:
    delay = steps[escalation.step].delay_minutes
    escalation.step += 1
    if escalation.step >= len(steps):
        escalation.step = 0
        escalation.cycle += 1
    if escalation.cycle > escalation.policy.repeat:
        escalation.state = EscalationState.EXHAUSTED
    escalation.due_at = now + timedelta(minutes=delay)


@transaction.atomic
def escalation_fire(*, escalation_id: int, now=None) -> list[int]:
    """Fire the escalation's due step: page its people, post to the team's channels, record
    the step on the timeline, and schedule the next step. Returns the ids of pages created.
    Does nothing when the step is not due, was fired by another process, or paging is no
    longer needed (then the escalation stops)."""
    now = now or timezone.now()
    escalation = (
        Escalation.objects.select_for_update()
        .select_related("policy__team")
        .filter(pk=escalation_id, state=EscalationState.ACTIVE, due_at__lte=now)
        .first()
    )
    if escalation is None:
        return []
    incident = Incident.objects.select_for_update().get(pk=escalation.incident_id)
    why_not = still_needed(incident, escalation)
    steps = list(escalation.policy.steps.all())
    if why_not or not steps:
        _stop(escalation, why_not or "the policy has no steps", now)
        return []
    step = steps[escalation.step]
    people = step_people(step, now)
    notify_only = not (escalation.reason == MAJOR or escalation.policy.pages_for(incident.priority))
    pages = page_people(
        incident=incident,
        people=people,
        escalation=escalation,
        step=escalation.step,
        email_only=notify_only,
        now=now,
    )
    _record_step(incident, escalation, people, notify_only, now)
    if notify_only:
        escalation.state = EscalationState.EXHAUSTED
    else:
        _advance(escalation, steps, now)
    escalation.save(update_fields=["step", "cycle", "state", "due_at"])
    return [page.pk for page in pages]


def _stop(escalation: Escalation, reason: str, now) -> None:
    escalation.state, escalation.stopped_at, escalation.stop_reason = (
        EscalationState.STOPPED,
        now,
        reason[:100],
    )
    escalation.save(update_fields=["state", "stopped_at", "stop_reason"])


def _record_step(incident, escalation, people: list[Paged], notify_only: bool, now) -> None:
    from messaging.services import channels_post

    names = [p.user.get_username() for p in people]
    data = {
        "team": escalation.policy.team.name,
        "step": escalation.step + 1,
        "pass": escalation.cycle + 1,
        "paged": names,
        "notify_only": notify_only,
    }
    record_event(
        incident=incident, kind=EventKind.ESCALATED, channel=Channel.SYSTEM, data=data, at=now
    )
    who = ", ".join(names) or "nobody (no one on call)"
    channels_post(
        team=escalation.policy.team,
        incident=incident,
        kind="escalated",
        title=f"[{incident.priority}] {incident.number} escalation step {data['step']}",
        body=f"{incident.number} {incident.title}\nStep {data['step']} paged: {who}.",
    )


def page_people(
    *, incident, people: list[Paged], escalation, step, now, email_only=False, tag=""
) -> list[Page]:
    """One page per person and contact method of their plan for this priority (delayed
    methods wait until their time). Returns the pages created now (not those a previous
    run of the same step created)."""
    from messaging.selectors import contact_plan

    people = _taking_part(incident, people)
    created = []
    for paged in people:
        plan = contact_plan(paged.user, incident.priority)
        if email_only:
            plan = [contact for contact in plan if contact.kind == "email"]
        for contact in plan:
            method_id = contact.method.pk if contact.method else contact.kind
            key = tag or _step_key(escalation, step)
            page = _create_page(
                incident=incident,
                escalation=escalation,
                user=paged.user,
                step=step,
                cycle=escalation.cycle if escalation else 0,
                reason=paged.reason,
                contact=contact,
                due_at=now + timedelta(minutes=contact.delay_minutes),
                dedup_key=f"{key}:u{paged.user.pk}:m{method_id}",
                now=now,
            )
            if page is not None:
                created.append(page)
    _enqueue([page.pk for page in created if page.due_at <= now])
    return created


def _taking_part(incident, people: list[Paged]) -> list[Paged]:
    """A drill's practice incident pages only the people taking part in the drill."""
    if not incident.practice:
        return people
    from drills.selectors import taking_part

    allowed = taking_part({incident.pk}).get(incident.pk, set())
    return [paged for paged in people if paged.user.pk in allowed]


def _step_key(escalation: Escalation, step: int) -> str:
    """Names one firing of one step; a restarted escalation (major declared) is a new run."""
    run = int(escalation.started_at.timestamp() * 1000)
    return f"e{escalation.pk}r{run}:c{escalation.cycle}:s{step}"


def _create_page(*, contact, dedup_key, now, **fields) -> Page | None:
    try:
        with transaction.atomic():
            return Page.objects.create(
                kind=contact.kind,
                contact_method=contact.method,
                dedup_key=dedup_key,
                created_at=now,
                **fields,
            )
    except IntegrityError:
        return None
