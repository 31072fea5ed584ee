"""Relations between incidents: merging duplicates, major incidents and their children."""

from django.db import transaction
from django.utils.translation import gettext as _

from incidents import workflow
from incidents.choices import EventKind, Status
from incidents.events import record_event
from incidents.exceptions import DomainError
from incidents.models import Incident, ResolutionCode
from incidents.services._common import lock, now, reason_text, save


@transaction.atomic
def incident_merge(*, primary: Incident, duplicates, actor, via: str) -> Incident:
    """Close each duplicate with a pointer to the primary; their reporters and watchers
    become watchers of the primary, so they still hear how it ends."""
    primary = lock(primary)
    workflow.check(primary, "merge_into")
    code = ResolutionCode.objects.filter(code="duplicate").first()
    merged = []
    for duplicate in sorted(duplicates, key=lambda incident: incident.pk):
        if duplicate.pk == primary.pk:
            continue
        duplicate = lock(duplicate)
        workflow.check(duplicate, "merge")
        at = now()
        duplicate.status, duplicate.duplicate_of, duplicate.resolution_code = (
            Status.CLOSED,
            primary,
            code,
        )
        duplicate.resolved_at = duplicate.closed_at = at
        duplicate.resolution_notes = f"Duplicate of {primary.number}."
        duplicate.next_update_due = None
        save(
            duplicate,
            actor=actor,
            reason=reason_text(f"Merged into {primary.number}", via),
            fields=[
                "status",
                "duplicate_of",
                "resolution_code",
                "resolved_at",
                "closed_at",
                "resolution_notes",
                "next_update_due",
            ],
        )
        followers = set(duplicate.watchers.values_list("pk", flat=True))
        if duplicate.reporter_id:
            followers.add(duplicate.reporter_id)
        followers.discard(primary.reporter_id)
        primary.watchers.add(*followers)
        record_event(
            incident=duplicate,
            kind=EventKind.MERGED,
            actor=actor,
            channel=via,
            data={"into": primary.number},
        )
        merged.append(duplicate.number)
    if not merged:
        raise DomainError(_("Choose at least one other incident to merge."))
    record_event(
        incident=primary, kind=EventKind.MERGED, actor=actor, channel=via, data={"merged": merged}
    )
    return primary


@transaction.atomic
def incident_declare_major(*, incident: Incident, actor, via: str) -> Incident:
    """Flag a major incident: subscribers of its service are told, a review is expected."""
    incident = lock(incident)
    if incident.major:
        return incident
    workflow.check(incident, "declare_major")
    incident.major = True
    save(incident, actor=actor, reason=reason_text("Declared major", via), fields=["major"])
    record_event(incident=incident, kind=EventKind.MAJOR_DECLARED, actor=actor, channel=via)
    return incident


@transaction.atomic
def incident_link_child(*, parent: Incident, child: Incident, actor, via: str) -> Incident:
    """Make `child` part of the (major) incident `parent`."""
    if parent.pk == child.pk:
        raise DomainError(_("An incident cannot be its own parent."), field="parent")
    parent, child = lock(parent), lock(child)
    if parent.parent_id:
        raise DomainError(
            _("%(number)s is itself part of %(parent)s; link to that one.")
            % {"number": parent.number, "parent": parent.parent.number},
            field="parent",
        )
    if child.children.exists():
        message = _("%(number)s has children of its own.") % {"number": child.number}
        raise DomainError(message, field="parent")
    child.parent = parent
    save(
        child, actor=actor, reason=reason_text(f"Linked to {parent.number}", via), fields=["parent"]
    )
    record_event(
        incident=parent,
        kind=EventKind.LINKED,
        actor=actor,
        channel=via,
        data={"child": child.number},
    )
    return child
