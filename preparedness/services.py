"""Writes of the preparedness app: checklists put on incidents, their ticks, incidents made
from templates, and the wording of a message template for one incident.

Every write takes keyword arguments, runs in one transaction and records history (user and
reason) through `itsm.history`. Incidents themselves are only ever written by the incident
services (`incidents.services`); this module asks them.
"""

import re
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import services as incident_services
from incidents.exceptions import DomainError
from incidents.models import Incident
from incidents.roles import MANAGERS
from itsm.history import save_with_history
from preparedness.models import (
    IncidentTask,
    IncidentTemplate,
    MessageTemplate,
    OwnerRole,
    ResponsePlan,
)

# What a template may fill in; anything else an override names is passed on as it is.
TEMPLATE_FIELDS = ("title", "description", "service", "category", "impact", "urgency")


def plan_for_service(service) -> ResponsePlan | None:
    """The service's own active plan, else the active default plan (None when neither)."""
    service_id = service.pk if service is not None else None
    return plans_for_services({service_id})[service_id]


def plans_for_services(service_ids) -> dict[int | None, ResponsePlan | None]:
    """`plan_for_service` for each of these service ids (None: no service), in one query:
    a batch of events asks once, not once per incident."""
    wanted = {pk for pk in service_ids if pk is not None}
    found = ResponsePlan.objects.filter(Q(service__in=wanted) | Q(service=None), active=True)
    plans = {plan.service_id: plan for plan in found}
    return {pk: plans.get(pk) or plans.get(None) for pk in service_ids}


def _first_manager():
    users = get_user_model().objects.filter(is_active=True, groups__name=MANAGERS)
    return users.order_by("username").first()


def resolve_owner(owner_role: str, *, incident: Incident, plan: ResponsePlan | None):
    """(person, team) who own a step of `owner_role` on `incident`: the plan's lead team's
    lead (or the incident team's lead without a plan), the assignee, the assigned team,
    or an incident manager. Either may be None."""
    if owner_role == OwnerRole.LEAD:
        team = plan.lead_team if plan is not None and plan.lead_team_id else incident.team
        return (team.lead if team is not None else None), team
    if owner_role == OwnerRole.ASSIGNEE:
        return incident.assignee, incident.team
    if owner_role == OwnerRole.TEAM:
        return None, incident.team
    if owner_role == OwnerRole.MANAGER:
        return _first_manager(), None
    return None, None


def _add_tasks(*, incident, steps, actor, plan=None, template=None, reason: str) -> list:
    tasks = []
    for step in steps:
        owner, team = resolve_owner(step.owner_role, incident=incident, plan=plan)
        task = IncidentTask(
            incident=incident,
            position=step.position,
            text=step.text,
            owner=owner,
            owner_team=team,
            plan=plan,
            template=template,
        )
        save_with_history(task, actor=actor, reason=reason)
        tasks.append(task)
    return tasks


@transaction.atomic
def plan_attach_checklist(*, incident: Incident, plan: ResponsePlan, actor) -> list[IncidentTask]:
    """Put the plan's first-response steps on the incident as tasks with owners. Idempotent:
    a plan's steps attach once per incident (the incident row is locked, so two workers
    handling two events of one incident do not both attach). Returns the tasks added."""
    locked = Incident.objects.select_for_update(of=("self",))
    incident = locked.select_related("team__lead", "assignee").get(pk=incident.pk)
    if IncidentTask.objects.filter(incident=incident, plan=plan).exists():
        return []
    steps = list(plan.steps.all())
    reason = _("Checklist attached from response plan %(plan)s") % {"plan": plan.name}
    return _add_tasks(incident=incident, steps=steps, actor=actor, plan=plan, reason=reason)


@transaction.atomic
def task_set_done(*, task: IncidentTask, actor, done: bool) -> IncidentTask:
    """Tick or untick a checklist task. The history row (who, when, which way) is what the
    incident's timeline shows; ticking a task already ticked changes nothing."""
    task = IncidentTask.objects.select_for_update().get(pk=task.pk)
    if task.done == bool(done):
        return task
    task.done = bool(done)
    task.done_at = timezone.now() if task.done else None
    task.done_by = actor if task.done else None
    reason = _("Task done") if task.done else _("Task reopened")
    save_with_history(task, actor=actor, reason=reason, fields=["done", "done_at", "done_by"])
    return task


@transaction.atomic
def incident_create_from_template(
    *,
    template: IncidentTemplate,
    actor,
    channel: str,
    reporter,
    overrides: dict | None = None,
) -> Incident:
    """Create an incident (through `incidents.services.incident_create`) from the
    template's title, description, service, category, impact and urgency, any of them
    replaced by `overrides` (and further fields of incident_create given there), then put
    the template's checklist on it."""
    if not template.active:
        raise DomainError(_("This template is no longer in use."), field="template")
    fields = {name: getattr(template, name) for name in TEMPLATE_FIELDS}
    fields.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    incident = incident_services.incident_create(
        actor=actor, reporter=reporter, via=channel, **fields
    )
    reason = _("Checklist attached from template %(template)s") % {"template": template.name}
    _add_tasks(
        incident=incident,
        steps=list(template.steps.all()),
        actor=actor,
        template=template,
        reason=reason,
    )
    return incident


PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
PLACEHOLDERS = ("service", "impact", "priority", "number", "title", "next_update")


def _moment(value) -> str:
    """In the writer's time zone (`timezone.activate`), named, since the text is read
    by people elsewhere: "2026-12-01 15:30 CET"."""
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M %Z}"
    return str(value)


def message_values(incident: Incident, next_update=None) -> dict[str, str]:
    """What each placeholder stands for, in the words end users see (the public title)."""
    when = next_update or incident.next_update_due
    return {
        "service": incident.service.name if incident.service_id else _("our services"),
        "impact": incident.get_impact_display(),
        "priority": incident.priority_in_words,
        "number": incident.number,
        "title": incident.public_title,
        "next_update": _moment(when) if when else _("as soon as we know more"),
    }


def message_render(
    *, template: MessageTemplate, incident: Incident, next_update=None
) -> tuple[str, str]:
    """(subject, body) with `{service}`, `{impact}`, `{priority}`, `{number}`, `{title}` and
    `{next_update}` filled in. Plain substitution, never `str.format`: a placeholder such as
    `{title.__class__}` is not evaluated, and an unknown one stays visible as written so the
    writer sees it before publishing."""
    values = message_values(incident, next_update)

    def fill(text: str) -> str:
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)

    return fill(template.subject), fill(template.body)
