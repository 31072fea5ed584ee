"""The buttons of the change page: the workflow steps the current status allows (asked of
`incidents.workflow`), the service each calls and the input it needs."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from incidents import services, workflow
from incidents.admin.forms import HoldForm, ReasonForm, ResolveForm, VersionedForm


@dataclass(frozen=True)
class Step:
    verb: str
    label: str
    service: Callable
    form: type[VersionedForm] = VersionedForm
    needs_input: bool = False
    done: str = ""


STEPS = {
    step.verb: step
    for step in (
        Step(
            "acknowledge", _("Acknowledge"), services.incident_acknowledge, done=_("acknowledged")
        ),
        Step("start", _("Start work"), services.incident_start, done=_("in progress")),
        Step("resume", _("Resume"), services.incident_resume, done=_("resumed")),
        Step("hold", _("Put on hold"), services.incident_hold, HoldForm, True, _("on hold")),
        Step("resolve", _("Resolve"), services.incident_resolve, ResolveForm, True, _("resolved")),
        Step("reopen", _("Reopen"), services.incident_reopen, ReasonForm, True, _("reopened")),
        Step("close", _("Close"), services.incident_close, done=_("closed")),
        Step(
            "cancel",
            _("Cancel incident"),
            services.incident_cancel,
            ReasonForm,
            True,
            _("cancelled"),
        ),
    )
}
# Every lifecycle step of the workflow has its button, and no button exists outside it.
if set(STEPS) != {action.name for action in workflow.STEPS}:
    raise RuntimeError("incidents/admin/transitions.py: STEPS differ from incidents.workflow")


def steps_for(status: str) -> list[Step]:
    """The steps allowed from `status`, in workflow order."""
    return [STEPS[action.name] for action in workflow.actions_from(status)]
