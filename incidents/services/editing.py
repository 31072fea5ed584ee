"""Editing an incident's description and classification, including its priority."""

from django.db import transaction
from django.utils.translation import gettext as _

from incidents import sla
from incidents.choices import PRIORITY_COLOURS, EventKind, Priority
from incidents.events import record_event
from incidents.exceptions import DomainError
from incidents.models import Incident
from incidents.services._common import check_version, lock, now, priority_for, reason_text, save

EDITABLE_FIELDS = ("title", "description", "impact", "urgency", "priority", "service", "category")
_PRIORITY_ORDER = list(PRIORITY_COLOURS)


@transaction.atomic
def incident_update(
    *,
    incident: Incident,
    actor,
    via: str,
    expected_version: int | None = None,
    reason: str | None = None,
    **changes,
) -> Incident:
    """Change descriptive fields. A new impact or urgency re-derives the priority from the
    matrix (an explicit `priority` overrides it); a new priority recomputes both SLA due
    times and records `priority_changed` (reporters and watchers hear when it is raised)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        fields = ", ".join(sorted(unknown))
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": fields}
        )
    if "title" in changes and not (changes["title"] or "").strip():
        raise DomainError(_("A title is required."), field="title")
    incident = lock(incident)
    check_version(incident, expected_version)
    old_priority = incident.priority
    changed = [name for name, value in changes.items() if getattr(incident, name) != value]
    for name in changed:
        setattr(incident, name, changes[name])
    if ("impact" in changed or "urgency" in changed) and "priority" not in changes:
        incident.priority = priority_for(incident.impact, incident.urgency)
    if incident.priority != old_priority:
        changed += ["priority", *_recompute_clocks(incident)]
    if not changed:
        return incident
    save(incident, actor=actor, reason=reason or reason_text("Updated", via), fields=changed)
    if incident.priority != old_priority:
        raised = _PRIORITY_ORDER.index(Priority(incident.priority)) < _PRIORITY_ORDER.index(
            Priority(old_priority)
        )
        record_event(
            incident=incident,
            kind=EventKind.PRIORITY_CHANGED,
            actor=actor,
            channel=via,
            data={"from": old_priority, "to": incident.priority, "raised": raised},
        )
    else:
        record_event(
            incident=incident,
            kind=EventKind.UPDATED,
            actor=actor,
            channel=via,
            data={"fields": sorted(set(changed) & set(EDITABLE_FIELDS))},
        )
    return incident


def _recompute_clocks(incident: Incident) -> list[str]:
    policy = sla.policy_for(incident.priority)
    sla.apply_policy(incident, policy)
    if incident.is_open:
        sla.schedule_next_update(incident, policy, now())
    return [
        "response_due",
        "response_warn_at",
        "resolution_due",
        "resolution_warn_at",
        "next_update_due",
    ]
