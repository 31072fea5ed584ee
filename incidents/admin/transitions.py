"""The buttons of the change page: which workflow steps the current status allows (from
`incidents.choices.TRANSITIONS`), the service each calls and the input it needs."""

from collections.abc import Callable
from dataclasses import dataclass

from incidents import services
from incidents.admin.forms import HoldForm, ReasonForm, ResolveForm, VersionedForm
from incidents.choices import TRANSITIONS, Status


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


def _verb(current: str, target: str) -> str:
    if target == Status.IN_PROGRESS:
        return {Status.ON_HOLD: "resume", Status.RESOLVED: "reopen"}.get(current, "start")
    return {
        Status.ACKNOWLEDGED: "acknowledge",
        Status.ON_HOLD: "hold",
        Status.RESOLVED: "resolve",
        Status.CLOSED: "close",
        Status.CANCELLED: "cancel",
    }[target]


def steps_for(status: str) -> list[Step]:
    """The steps allowed from `status`, in workflow order."""
    order = list(Status)
    targets = sorted(TRANSITIONS.get(status, set()), key=order.index)
    return [STEPS[_verb(status, target)] for target in targets]
