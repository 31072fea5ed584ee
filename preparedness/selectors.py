"""Reads of the preparedness app: an incident's checklist and its timeline entries, the
templates offered to each audience, and the preparedness figures for managers."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Case, Max, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.actors import user_label
from incidents.models import Incident, Service, Team
from incidents.selectors import TimelineEntry
from preparedness.models import (
    CommunicationStep,
    IncidentTask,
    IncidentTemplate,
    MessageTemplate,
    ResponsePlan,
    Stage,
)

EXERCISE_WINDOW = timedelta(days=90)


def tasks_for_incident(incident: Incident) -> QuerySet:
    """The incident's checklist in order, with owners (one query)."""
    return IncidentTask.objects.filter(incident=incident).select_related(
        "owner", "owner_team", "done_by"
    )


def communications_for_tasks(tasks) -> list:
    """Who the plans behind these tasks tell, how often, with which template (no query
    when no plan put tasks on the incident)."""
    plan_ids = {task.plan_id for task in tasks if task.plan_id}
    if not plan_ids:
        return []
    steps = CommunicationStep.objects.filter(plan_id__in=plan_ids)
    return list(steps.select_related("template").order_by("audience"))


def task_history_rows(incident) -> QuerySet:
    """The checklist history `task_timeline_entries` reads (`incident` may be an
    OuterRef)."""
    return IncidentTask.history.filter(incident=incident)


def task_timeline_entries(incident: Incident) -> list[TimelineEntry]:
    """The checklist on the incident's timeline (two queries): one entry per attachment
    (a plan or template putting its steps on) and one per tick or untick, with who did it.
    Internal: end users never see the checklist."""
    records = task_history_rows(incident).select_related("history_user")
    attached: dict[str, TimelineEntry] = {}
    entries = []
    for record in records.order_by("history_date", "history_id"):
        actor = user_label(record.history_user, nobody="system")
        reason = record.history_change_reason or ""
        if record.history_type == "+":
            entry = attached.get(reason)
            if entry is None:
                entry = attached[reason] = TimelineEntry(
                    at=record.history_date, kind="checklist", title=reason, actor=actor
                )
                entry.public = False
                entries.append(entry)
            entry.body = "\n".join(filter(None, [entry.body, f"☐ {record.text}"]))
        elif record.history_type == "~":
            mark = "☑" if record.done else "☐"
            entries.append(
                TimelineEntry(
                    at=record.history_date,
                    kind="checklist",
                    title=reason or _("Checklist task changed"),
                    actor=actor,
                    body=f"{mark} {record.text}",
                    public=False,
                )
            )
    return entries


def active_templates(*, public_only: bool = False) -> QuerySet:
    templates = IncidentTemplate.objects.filter(active=True)
    return templates.filter(public=True) if public_only else templates


def template_by_slug(slug: str, *, public_only: bool = False) -> IncidentTemplate | None:
    if not slug or len(slug) > 100:
        return None
    return active_templates(public_only=public_only).filter(slug=slug).first()


def active_message_templates() -> QuerySet:
    """In the order an incident goes through them: investigating ... resolved."""
    order = Case(
        *[When(stage=stage, then=Value(i)) for i, stage in enumerate(Stage.values)],
        default=Value(len(Stage.values)),
    )
    return MessageTemplate.objects.filter(active=True).order_by(order, "name")


def plan_last_exercised(plans) -> dict[int, datetime | None]:
    """{plan id: when it was last exercised, or None}. A plan is exercised by a drill started
    from it, or by a practice incident its checklist was put on (a drill from a template on
    the plan's service). Two queries; the one place that decides what "exercised" means."""
    from drills.models import Drill

    ids = [plan.pk for plan in plans]
    last = dict.fromkeys(ids)
    if not ids:
        return last
    drills = Drill.objects.filter(plan_id__in=ids).values("plan_id").annotate(at=Max("started_at"))
    tasks = (
        IncidentTask.objects.filter(plan_id__in=ids, incident__practice=True)
        .values("plan_id")
        .annotate(at=Max("created_at"))
    )
    for row in [*drills, *tasks]:
        seen = last[row["plan_id"]]
        last[row["plan_id"]] = max(seen, row["at"]) if seen else row["at"]
    return last


@dataclass
class ServiceGap:
    service: Service
    plan: str  # "own", "default" or "none"
    runbooks: int


@dataclass
class TeamGap:
    team: Team
    why: str


@dataclass
class StalePlan:
    plan: ResponsePlan
    last: datetime | None


@dataclass
class Preparedness:
    services: list[ServiceGap] = field(default_factory=list)
    teams: list[TeamGap] = field(default_factory=list)
    plans: list[StalePlan] = field(default_factory=list)
    service_count: int = 0
    team_count: int = 0
    plan_count: int = 0


def service_gaps() -> tuple[list[ServiceGap], int]:
    """Active services without a plan of their own or without an active runbook."""
    from problems.models import Runbook

    services = list(Service.objects.filter(active=True).order_by("name"))
    own = set(
        ResponsePlan.objects.filter(active=True, service__isnull=False).values_list(
            "service_id", flat=True
        )
    )
    default = ResponsePlan.objects.filter(active=True, service__isnull=True).exists()
    runbooks: dict[int, int] = {}
    for service_id in Runbook.objects.filter(active=True).values_list("service_id", flat=True):
        runbooks[service_id] = runbooks.get(service_id, 0) + 1
    gaps = []
    for service in services:
        plan = "own" if service.pk in own else ("default" if default else "none")
        count = runbooks.get(service.pk, 0)
        if plan != "own" or not count:
            gaps.append(ServiceGap(service, plan, count))
    return gaps, len(services)


def team_gaps(now=None) -> tuple[list[TeamGap], int]:
    """Teams nobody could be reached for now: no one on call in any of their schedules and
    no one their active escalation policy's steps would page at this moment."""
    from oncall.selectors import on_call_now
    from paging.models import EscalationPolicy
    from paging.targets import step_people

    now = now or timezone.now()
    teams = list(Team.objects.order_by("name"))
    covered = {shift.schedule.team_id for shift in on_call_now(at=now)}
    policies = EscalationPolicy.objects.filter(active=True, team__in=teams)
    policies = policies.select_related("team__lead").prefetch_related(
        "steps__schedules", "steps__users"
    )
    policies = {p.team_id: p for p in policies}
    gaps = []
    for team in teams:
        if team.pk in covered:
            continue
        policy = policies.get(team.pk)
        if policy is None:
            gaps.append(TeamGap(team, _("No one on call and no escalation policy.")))
            continue
        if not any(step_people(step, now) for step in policy.steps.all()):
            gaps.append(TeamGap(team, _("Its escalation policy reaches nobody right now.")))
    return gaps, len(teams)


def stale_plans(now=None) -> tuple[list[StalePlan], int]:
    """Active plans not exercised in the last 90 days (never exercised first)."""
    now = now or timezone.now()
    plans = list(ResponsePlan.objects.filter(active=True).select_related("service"))
    last = plan_last_exercised(plans)
    stale = [
        StalePlan(plan, last[plan.pk])
        for plan in plans
        if last[plan.pk] is None or last[plan.pk] < now - EXERCISE_WINDOW
    ]
    stale.sort(key=lambda s: (s.last is not None, s.last or now, s.plan.name))
    return stale, len(plans)


def preparedness(now=None) -> Preparedness:
    """Everything the preparedness page shows."""
    report = Preparedness()
    report.services, report.service_count = service_gaps()
    report.teams, report.team_count = team_gaps(now)
    report.plans, report.plan_count = stale_plans(now)
    return report


def public_template_initial(slug: str | None) -> dict:
    """The portal report form's initial values from the public template `slug` (nothing
    for an unknown, inactive or non-public one): what an end user would have typed."""
    template = template_by_slug(slug or "", public_only=True)
    if template is None:
        return {}
    initial = {
        "title": template.title,
        "description": template.description,
        "impact": template.impact,
        "urgency": template.urgency,
    }
    if template.service_id and template.service.active:
        initial["service"] = template.service
    return initial
