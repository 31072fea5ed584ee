"""The workflow of an incident: which action is allowed from which status, and where it leads.

One table keyed by action, not by target status: start, resume and reopen all lead to in
progress and differ only in where they may start from. Every service that changes an
incident's status (or may only act on open incidents) checks its action here first
(`check`); the admin's buttons, the API's transition endpoints, the portal's buttons and the
automatic doors (paging, monitoring) ask the same table what is allowed (`allows`,
`actions_from`). Rules beyond the status, such as the reopen window or required input, stay
in the service that owns them.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from incidents.choices import OPEN_STATUSES, Status
from incidents.exceptions import InvalidTransition


@dataclass(frozen=True)
class Action:
    """Something done to one incident: allowed from `sources`, leading to `target`.

    `target` None means the status stays as it is (assigning, declaring major). `done`
    completes "INC0000001 cannot be ...". `step` marks the steps of one incident's
    lifecycle that the admin offers as buttons and the API as transition endpoints.
    `hints` add what to do instead, for a status the action is refused from."""

    name: str
    sources: frozenset[str]
    target: str | None
    done: str
    step: bool = True
    hints: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


def _action(name, sources, target, done, **options) -> Action:
    return Action(name, frozenset(sources), target, done, **options)


_OPEN, _ACTIVE = OPEN_STATUSES, (Status.ACKNOWLEDGED, Status.IN_PROGRESS)

# In the order the admin shows its buttons.
ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        _action("acknowledge", [Status.NEW], Status.ACKNOWLEDGED, _("acknowledged")),
        _action(
            "start",
            [Status.NEW, Status.ACKNOWLEDGED],
            Status.IN_PROGRESS,
            _("started"),
            hints={Status.ON_HOLD: _("Resume it instead.")},
        ),
        _action("hold", _ACTIVE, Status.ON_HOLD, _("put on hold")),
        _action("resume", [Status.ON_HOLD], Status.IN_PROGRESS, _("resumed")),
        _action("resolve", _OPEN, Status.RESOLVED, _("resolved")),
        _action(
            "reopen",
            [Status.RESOLVED],
            Status.IN_PROGRESS,
            _("reopened"),
            hints={Status.CLOSED: _("Report a new problem instead.")},
        ),
        _action("close", [Status.RESOLVED], Status.CLOSED, _("closed")),
        _action("cancel", _OPEN, Status.CANCELLED, _("cancelled")),
        # Not steps of their own: they keep the status, or act on several incidents.
        _action("assign", _OPEN, None, _("assigned"), step=False),
        _action("declare_major", _OPEN, None, _("declared major"), step=False),
        _action("merge", _OPEN, Status.CLOSED, _("merged"), step=False),
        _action(
            "merge_into",
            _OPEN,
            None,
            _("merged into"),
            step=False,
            hints={
                status: _("Merge into an open incident.")
                for status in Status
                if status not in _OPEN
            },
        ),
    )
}

STEPS: tuple[Action, ...] = tuple(action for action in ACTIONS.values() if action.step)


def allows(action: str, status: str) -> bool:
    """Whether `action` may be done to an incident in `status`."""
    return status in ACTIONS[action].sources


def actions_from(status: str) -> list[Action]:
    """The lifecycle steps allowed from `status`, in workflow order."""
    return [action for action in STEPS if status in action.sources]


def check(incident, action: str) -> None:
    """Refuse `action` on `incident` unless its current status allows it.

    Raises InvalidTransition with a message for the person who asked, naming the incident,
    the action and the status it is in (and what to do instead, where there is a way)."""
    spec = ACTIONS[action]
    if incident.status in spec.sources:
        return
    hint = spec.hints.get(incident.status)
    refusal = _("%(number)s cannot be %(done)s: it is %(status)s.") % {
        "number": incident.number,
        "done": spec.done,
        "status": str(incident.get_status_display()).lower(),
    }
    raise InvalidTransition(f"{refusal} {hint}" if hint else refusal)
