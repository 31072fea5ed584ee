"""The buttons of the change page: the workflow steps the current status allows (asked of
`incidents.workflow`), the service each calls and the input it needs."""

from collections.abc import Callable
from dataclasses import dataclass

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
        Step("acknowledge", "Acknowledge", services.incident_acknowledge, done="acknowledged"),
        Step("start", "Start work", services.incident_start, done="in progress"),
        Step("resume", "Resume", services.incident_resume, done="resumed"),
        Step("hold", "Put on hold", services.incident_hold, HoldForm, True, "on hold"),
        Step("resolve", "Resolve", services.incident_resolve, ResolveForm, True, "resolved"),
        Step("reopen", "Reopen", services.incident_reopen, ReasonForm, True, "reopened"),
        Step("close", "Close", services.incident_close, done="closed"),
        Step("cancel", "Cancel incident", services.incident_cancel, ReasonForm, True, "cancelled"),
    )
}
# Every lifecycle step of the workflow has its button, and no button exists outside it.
if set(STEPS) != {action.name for action in workflow.STEPS}:
    raise RuntimeError("incidents/admin/transitions.py: STEPS differ from incidents.workflow")


def steps_for(status: str) -> list[Step]:
    """The steps allowed from `status`, in workflow order."""
    return [STEPS[action.name] for action in workflow.actions_from(status)]
