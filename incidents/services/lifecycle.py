"""Creating incidents and moving them through the workflow.

Every function is one transaction: it locks the row, checks its action against
`incidents.workflow` (and the version when the caller read one), saves with history user
and reason, records an `IncidentEvent` and so, after commit, tells stakeholders.
"""

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from incidents import routing, sla, workflow
from incidents.choices import Channel, EventKind, Level, Status
from incidents.events import record_event
from incidents.exceptions import DomainError, InvalidTransition
from incidents.models import HoldReason, Incident, NumberSequence, ResolutionCode, Service
from incidents.numbers import DrawnNumber, format_number
from incidents.roles import can_work_incidents
from incidents.services._common import (
    check_version,
    lock,
    now,
    priority_for,
    reason_text,
    save,
)
from itsm.history import save_with_history


def _next_number():
    """The next human number; the counter's row lock serialises concurrent creations. On
    PostgreSQL the incident's INSERT draws it itself (one round trip less per create)."""
    if connection.vendor == "postgresql":
        return DrawnNumber("incident")
    return format_number(NumberSequence.draw("incident"))


def _check_assignee(assignee) -> None:
    if assignee is not None and not can_work_incidents(assignee):
        raise DomainError(
            _("%(user)s cannot be assigned incidents: they are not a responder.")
            % {"user": assignee.get_username()},
            field="assignee",
        )


def _starts_confidential(asked: bool | None, category) -> bool:
    if asked is not None:
        return asked
    return bool(category and category.makes_confidential)


@transaction.atomic
def incident_create(
    *,
    title: str,
    reporter,
    via: str,
    actor=None,
    description: str = "",
    impact: str = Level.MEDIUM,
    urgency: str = Level.MEDIUM,
    priority: str | None = None,
    service=None,
    category=None,
    team=None,
    assignee=None,
    major: bool = False,
    opened_at=None,
    files=(),
    reason: str | None = None,
    recurrence_of: Incident | None = None,
    labels: dict | None = None,
    confidential: bool | None = None,
    practice: bool = False,
) -> Incident:
    """Log a new incident: number, priority from the matrix (unless given), SLA clocks and
        a responsible team (`incidents.routing`: the team named, else the service's owner, else
        the first matching routing rule, else the fallback team; `labels` are an alert's, for
        the rules). Confidential when asked (an integration's default, staff), else when its
        category says so (`Category.confidential_by_default`). `practice` only from a drill
    (`drills.services`): no door passes it. Records `created`, and `routed` when a
        rule or the fallback chose the team; stakeholders are told after commit."""
    if not title or not title.strip():
        raise DomainError(_("A title is required."), field="title")
    _check_assignee(assignee)
    actor = actor or reporter
    incident = Incident(
        number=_next_number(),
        title=title.strip(),
        description=description or "",
        channel=via,
        impact=impact,
        urgency=urgency,
        priority=priority or priority_for(impact, urgency),
        service=service,
        category=category,
        team=team,
        assignee=assignee,
        reporter=reporter,
        major=major,
        confidential=_starts_confidential(confidential, category),
        practice=practice,
        opened_at=opened_at or now(),
        recurrence_of=recurrence_of,
    )
    routed = routing.route(
        team=team, service=service, category=category, channel=via, labels=labels
    )
    if team is None:
        if _owner_team_known(service, routed.team_id):
            incident.team = service.owner_team  # from the services snapshot: no query
        else:
            incident.team_id = routed.team_id  # the id is enough: no query for the team
    policy = sla.policy_for(incident.priority)
    sla.apply_policy(incident, policy)
    sla.schedule_next_update(incident, policy, incident.opened_at)
    save_with_history(incident, actor=actor, reason=reason or reason_text("Created", via))
    record_event(
        incident=incident,
        kind=EventKind.CREATED,
        actor=actor,
        channel=via,
        data={"priority": incident.priority, "major": major},
    )
    if routed.recorded:
        record_event(
            incident=incident,
            kind=EventKind.ROUTED,
            actor=actor,
            channel=via,
            data=routed.event_data(),
        )
    if files:
        from incidents.services.collaboration import attach_files

        attach_files(incident=incident, files=files, actor=actor, public=True)
    return incident


def _owner_team_known(service, team_id) -> bool:
    return (
        service is not None
        and team_id is not None
        and service.owner_team_id == team_id
        and Service.owner_team.is_cached(service)
    )


@transaction.atomic
def incident_acknowledge(
    *, incident: Incident, actor, via: str, expected_version: int | None = None
) -> Incident:
    """A responder has seen it: stops the response clock."""
    incident = lock(incident)
    check_version(incident, expected_version)
    workflow.check(incident, "acknowledge")
    incident.status, incident.acknowledged_at = Status.ACKNOWLEDGED, now()
    save(
        incident,
        actor=actor,
        reason=reason_text("Acknowledged", via),
        fields=["status", "acknowledged_at"],
    )
    record_event(incident=incident, kind=EventKind.ACKNOWLEDGED, actor=actor, channel=via)
    return incident


@transaction.atomic
def incident_start(
    *, incident: Incident, actor, via: str, expected_version: int | None = None
) -> Incident:
    """Work has started (from new or acknowledged); acknowledges it if nobody had."""
    incident = lock(incident)
    check_version(incident, expected_version)
    workflow.check(incident, "start")
    incident.status = Status.IN_PROGRESS
    incident.acknowledged_at = incident.acknowledged_at or now()
    save(
        incident,
        actor=actor,
        reason=reason_text("Work started", via),
        fields=["status", "acknowledged_at"],
    )
    record_event(incident=incident, kind=EventKind.STARTED, actor=actor, channel=via)
    return incident


@transaction.atomic
def incident_assign(
    *,
    incident: Incident,
    actor,
    via: str,
    team=None,
    assignee=None,
    expected_version: int | None = None,
) -> Incident:
    """Give the incident to a team and/or a person (a person keeps or sets the team)."""
    incident = lock(incident)
    check_version(incident, expected_version)
    if team is None and assignee is None:
        raise DomainError(_("Name a team or a person to assign to."), field="assignee")
    workflow.check(incident, "assign")
    _check_assignee(assignee)
    before = (incident.team_id, incident.assignee_id)
    if team is not None and team.pk != incident.team_id and assignee is None:
        incident.assignee = None  # a new team picks its own assignee
    if team is None and assignee is not None and incident.team_id is None:
        team = assignee.teams.first()
    incident.team = team or incident.team
    incident.assignee = assignee or incident.assignee
    if (incident.team_id, incident.assignee_id) == before:
        return incident
    save(incident, actor=actor, reason=reason_text("Assigned", via), fields=["team", "assignee"])
    record_event(
        incident=incident,
        kind=EventKind.ASSIGNED,
        actor=actor,
        channel=via,
        data={"team": incident.team_id, "assignee": incident.assignee_id},
    )
    return incident


def _active_code(model, value, *, field: str, ask: str):
    """The active HoldReason named by `value` (an instance or its code), or
    a DomainError on `field` listing the codes that would be accepted."""
    if isinstance(value, model):
        return value
    found = model.objects.filter(code=value, active=True).first() if value else None
    if found is None:
        codes = ", ".join(model.objects.filter(active=True).values_list("code", flat=True))
        raise DomainError(_("%(ask)s (%(codes)s).") % {"ask": ask, "codes": codes}, field=field)
    return found


# Doors through which the system, not a person, resolves.
_SYSTEM_CHANNELS = (Channel.MONITORING, Channel.SYSTEM)


def _resolution_code(value, via: str) -> ResolutionCode:
    """The code named by `value` (an instance or the code of an active one). One reserved
    for the system is refused to people like an unknown code, on the same field, and the
    message lists the codes they may choose."""
    code = value
    if not isinstance(value, ResolutionCode):
        code = ResolutionCode.objects.filter(code=value, active=True).first() if value else None
    if code is None or (code.reserved and via not in _SYSTEM_CHANNELS):
        codes = ", ".join(ResolutionCode.choosable().values_list("code", flat=True))
        if code:
            message = _(
                "“%(name)s” is set by the system only: choose a resolution code (%(codes)s)."
            )
            message %= {"name": code.name, "codes": codes}
        else:
            message = _("Choose a resolution code (%(codes)s).") % {"codes": codes}
        raise DomainError(message, field="resolution_code")
    return code


@transaction.atomic
def incident_hold(
    *, incident: Incident, actor, via: str, reason, expected_version: int | None = None
) -> Incident:
    """Wait for the user, a vendor or a change; pausing reasons stop the resolution clock."""
    hold_reason = _active_code(
        HoldReason, reason, field="reason", ask=_("Choose why it is on hold")
    )
    incident = lock(incident)
    check_version(incident, expected_version)
    workflow.check(incident, "hold")
    at = now()
    incident.status, incident.hold_reason = Status.ON_HOLD, hold_reason
    incident.acknowledged_at = incident.acknowledged_at or at
    if hold_reason.pauses_sla:
        sla.pause(incident, at)
    save(
        incident,
        actor=actor,
        reason=reason_text(f"On hold ({hold_reason.name})", via),
        fields=["status", "hold_reason", "acknowledged_at", "sla_paused_at"],
    )
    record_event(
        incident=incident,
        kind=EventKind.HELD,
        actor=actor,
        channel=via,
        at=at,
        data={
            "reason": hold_reason.code,
            "reason_name": hold_reason.name,
            "pauses_sla": hold_reason.pauses_sla,
        },
    )
    return incident


def _restart_clock(incident: Incident, at) -> list[str]:
    sla.unpause(incident, at)
    sla.apply_policy(incident, sla.policy_for(incident.priority))
    return [
        "sla_paused_at",
        "sla_paused_seconds",
        "resolution_due",
        "resolution_warn_at",
        "response_due",
        "response_warn_at",
    ]


@transaction.atomic
def incident_resume(
    *, incident: Incident, actor, via: str, expected_version: int | None = None
) -> Incident:
    """Back to work after a hold; the resolution clock runs again, due time moved on."""
    incident = lock(incident)
    check_version(incident, expected_version)
    workflow.check(incident, "resume")
    at = now()
    incident.status, incident.hold_reason = Status.IN_PROGRESS, None
    fields = ["status", "hold_reason", *_restart_clock(incident, at)]
    save(incident, actor=actor, reason=reason_text("Resumed", via), fields=fields)
    record_event(incident=incident, kind=EventKind.RESUMED, actor=actor, channel=via, at=at)
    return incident


@transaction.atomic
def incident_resolve(
    *,
    incident: Incident,
    actor,
    via: str,
    resolution_code,
    resolution_notes: str,
    expected_version: int | None = None,
) -> Incident:
    """Service is restored. Needs a code and notes; the reporter is asked to confirm.
    Codes reserved for the system (auto-resolved, duplicate) only monitoring and the
    system may set, so the figures that count them stay true."""
    code = _resolution_code(resolution_code, via)
    if not (resolution_notes or "").strip():
        raise DomainError(_("Say how it was resolved."), field="resolution_notes")
    incident = lock(incident)
    check_version(incident, expected_version)
    workflow.check(incident, "resolve")
    at = now()
    fields = _restart_clock(incident, at)
    sla.pause(incident, at)  # time spent resolved does not count if it is reopened
    incident.status, incident.resolved_at, incident.hold_reason = Status.RESOLVED, at, None
    incident.acknowledged_at = incident.acknowledged_at or at
    incident.resolution_code, incident.resolution_notes = code, resolution_notes.strip()
    incident.next_update_due = None
    fields += [
        "status",
        "resolved_at",
        "hold_reason",
        "acknowledged_at",
        "resolution_code",
        "resolution_notes",
        "next_update_due",
    ]
    save(incident, actor=actor, reason=reason_text("Resolved", via), fields=fields)
    record_event(
        incident=incident,
        kind=EventKind.RESOLVED,
        actor=actor,
        channel=via,
        at=at,
        data={"resolution_code": code.code},
    )
    return incident


@transaction.atomic
def incident_reopen(
    *, incident: Incident, actor, via: str, reason: str = "", expected_version: int | None = None
) -> Incident:
    """Still broken: back to in progress, if within the reopen window after resolution."""
    incident = lock(incident)
    check_version(incident, expected_version)
    workflow.check(incident, "reopen")
    at = now()
    if incident.resolved_at and at - incident.resolved_at > settings.ITSM_REOPEN_WINDOW:
        raise InvalidTransition(
            _(
                "%(number)s was resolved more than %(days)s days ago and can no longer be "
                "reopened. Report a new problem instead."
            )
            % {"number": incident.number, "days": settings.ITSM_REOPEN_WINDOW.days}
        )
    fields = _restart_clock(incident, at)
    incident.status, incident.resolved_at, incident.resolution_code = Status.IN_PROGRESS, None, None
    sla.schedule_next_update(incident, sla.policy_for(incident.priority), at)
    fields += ["status", "resolved_at", "resolution_code", "next_update_due"]
    save(incident, actor=actor, reason=reason_text("Reopened", via), fields=fields)
    record_event(
        incident=incident,
        kind=EventKind.REOPENED,
        actor=actor,
        channel=via,
        at=at,
        data={"reason": reason},
    )
    return incident


@transaction.atomic
def incident_close(
    *, incident: Incident, actor, via: str, expected_version: int | None = None
) -> Incident:
    """Final: the reporter confirmed the fix, or the auto-close period passed."""
    incident = lock(incident)
    check_version(incident, expected_version)
    workflow.check(incident, "close")
    incident.status, incident.closed_at = Status.CLOSED, now()
    save(incident, actor=actor, reason=reason_text("Closed", via), fields=["status", "closed_at"])
    record_event(incident=incident, kind=EventKind.CLOSED, actor=actor, channel=via)
    return incident


@transaction.atomic
def incident_cancel(
    *, incident: Incident, actor, via: str, reason: str = "", expected_version: int | None = None
) -> Incident:
    """Logged by mistake or not an incident: final, and excluded from SLA figures."""
    incident = lock(incident)
    check_version(incident, expected_version)
    workflow.check(incident, "cancel")
    incident.status, incident.closed_at, incident.next_update_due = Status.CANCELLED, now(), None
    save(
        incident,
        actor=actor,
        reason=reason_text("Cancelled", via),
        fields=["status", "closed_at", "next_update_due"],
    )
    record_event(
        incident=incident,
        kind=EventKind.CANCELLED,
        actor=actor,
        channel=via,
        data={"reason": reason},
    )
    return incident
