"""Starting and ending drills: a practice incident run for real by the people taking part.

`drill_start` creates the practice incident through `incidents.services.incident_create`,
practice from its first row (so every event handler, run after commit, sees it as
practice), puts the plan's or template's checklist on it (the preparedness services), and
pages every participant. From then on each door keeps it to the people taking part: notifications
(`notifications.recipients`), pages (`paging.services`), chat (`messaging.services`),
webhooks (`api.webhooks`), the status page and every figure (`Incident.objects.real`).
"""

from contextlib import suppress

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from drills.figures import drill_figures
from drills.models import Drill
from incidents.choices import OPEN_STATUSES, Channel
from incidents.exceptions import DomainError, InvalidTransition, NotPermitted
from incidents.models import Incident
from incidents.roles import is_manager
from incidents.services import incident_cancel, incident_create
from itsm.history import save_with_history
from preparedness.services import incident_create_from_template, plan_attach_checklist

PAGE_REASON = "taking part in a practice drill"


def _practice_incident_from(*, manager, plan=None, template=None, reporter, via: str) -> Incident:
    """The incident of a drill, practice from its first row: made from `template` (its
    fields and checklist, `preparedness.services.incident_create_from_template`) or from
    `plan` (its service and lead team, then the plan's checklist)."""
    reason = _("Drill started")
    if template is not None:
        return incident_create_from_template(
            template=template,
            actor=manager,
            channel=via,
            reporter=reporter,
            overrides={"practice": True, "reason": reason},
        )
    incident = incident_create(
        title=_("Drill: %(plan)s") % {"plan": plan.name},
        description=_("A practice incident to exercise the response plan %(plan)s.")
        % {"plan": plan.name},
        service=plan.service,
        team=plan.lead_team,
        reporter=reporter,
        actor=manager,
        via=via,
        reason=reason,
        practice=True,
    )
    plan_attach_checklist(incident=incident, plan=plan, actor=manager)
    return incident


def _check_start(manager, plan, template, participants) -> None:
    if not is_manager(manager):
        raise NotPermitted(_("Only incident managers can start a drill."))
    if (plan is None) == (template is None):
        raise DomainError(_("Choose either a response plan or an incident template."), field="plan")
    if not participants:
        raise DomainError(_("Choose at least one participant."), field="participants")


@transaction.atomic
def drill_start(
    *, manager, plan=None, template=None, participants, end_user=None, via: str = Channel.ADMIN
) -> Drill:
    """Start a drill of `plan` or `template` with `participants` (and `end_user`, who then
    reports the practice incident and sees it in the portal). Only incident managers may.
    Creates the practice incident and its checklist, pages each participant (sent after
    commit), and lets the real workflow run from there."""
    from paging.services import page_people
    from paging.targets import Paged

    participants = list(participants)
    _check_start(manager, plan, template, participants)
    incident = _practice_incident_from(
        manager=manager, plan=plan, template=template, reporter=end_user or manager, via=via
    )
    drill = Drill.objects.create(
        plan=plan,
        template=template,
        incident=incident,
        started_by=manager,
        started_at=incident.opened_at,
        include_end_user=end_user,
    )
    drill.participants.set(participants)
    page_people(
        incident=incident,
        people=[Paged(user, PAGE_REASON) for user in participants if user.is_active],
        escalation=None,
        step=None,
        now=timezone.now(),
        tag=f"drill{drill.pk}",
    )
    return drill


@transaction.atomic
def drill_end(*, drill: Drill, actor, went_well: str = "", to_change: str = "") -> Drill:
    """End a running drill: store its review and its figures (`drills.figures`), then
    cancel its practice incident if still open (which stops its paging). Managers only;
    ending it twice is refused."""
    if not is_manager(actor):
        raise NotPermitted(_("Only incident managers can end a drill."))
    drill = Drill.objects.select_for_update().select_related("incident").get(pk=drill.pk)
    if drill.ended_at is not None:
        raise DomainError(_("This drill has already ended."), code="already_ended")
    figures = drill_figures(drill)
    drill.ended_at = timezone.now()
    drill.went_well, drill.to_change = went_well.strip(), to_change.strip()
    drill.engage_seconds = figures.engage_seconds
    drill.acknowledge_seconds = figures.acknowledge_seconds
    drill.checklist_done, drill.checklist_total = figures.checklist_done, figures.checklist_total
    save_with_history(drill, actor=actor, reason=_("Drill ended"))
    if drill.incident.status in OPEN_STATUSES:
        # A status that cannot be cancelled is left as the participants left it.
        with suppress(InvalidTransition):
            incident_cancel(
                incident=drill.incident, actor=actor, via=Channel.SYSTEM, reason=_("Drill ended")
            )
    return drill


@transaction.atomic
def drill_review(*, drill: Drill, actor, went_well: str, to_change: str) -> Drill:
    """Edit the review of an ended drill (its figures stay as they were stored)."""
    if not is_manager(actor):
        raise NotPermitted(_("Only incident managers can review a drill."))
    drill.went_well, drill.to_change = went_well.strip(), to_change.strip()
    save_with_history(
        drill, actor=actor, reason=_("Review edited"), fields=["went_well", "to_change"]
    )
    return drill
