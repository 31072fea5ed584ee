"""Talking about an incident: public updates, work notes, files and watchers."""

from django.db import transaction
from django.utils.translation import gettext as _

from incidents import sla
from incidents.attachments import validate_upload
from incidents.choices import FINAL_STATUSES, EventKind, Status
from incidents.events import record_event
from incidents.exceptions import DomainError, InvalidTransition, NotPermitted
from incidents.models import Attachment, Comment, Incident
from incidents.roles import can_work_incidents
from incidents.services._common import lock, now, reason_text, save
from incidents.visibility import may_follow


def attach_files(*, incident: Incident, files, actor, public: bool, comment=None) -> list:
    """Validate and store files (every upload path comes through here)."""
    checked = [(upload, validate_upload(upload)) for upload in files]
    attachments = []
    for upload, content_type in checked:
        attachments.append(
            Attachment.objects.create(
                incident=incident,
                comment=comment,
                file=upload,
                public=public,
                original_name=(upload.name or "file")[-200:],
                content_type=content_type,
                size=upload.size,
                uploaded_by=actor,
            )
        )
    return attachments


@transaction.atomic
def incident_comment(
    *, incident: Incident, author, body: str, via: str, public: bool, files=()
) -> Comment:
    """Add a public update or a work note. Only staff write work notes; a public update by
    staff resets the update cadence; the reporter answering while the incident awaits them
    puts it back in progress."""
    if not (body or "").strip():
        raise DomainError(_("Write something first."), field="body")
    staff = can_work_incidents(author)
    public = public or not staff
    incident = lock(incident)
    if not staff and incident.status in FINAL_STATUSES:
        raise InvalidTransition(
            _("%(number)s is closed. Report a new problem instead.") % {"number": incident.number}
        )
    comment = Comment.objects.create(
        incident=incident, author=author, body=body.strip(), public=public, channel=via
    )
    attachments = attach_files(
        incident=incident, files=files, actor=author, public=public, comment=comment
    )
    kind = EventKind.COMMENTED if public else EventKind.WORK_NOTE
    record_event(
        incident=incident,
        kind=kind,
        actor=author,
        channel=via,
        data={"comment": comment.pk, "attachments": [a.pk for a in attachments]},
    )
    if public and staff and incident.is_open:
        sla.schedule_next_update(incident, sla.policy_for(incident.priority), now())
        save(
            incident,
            actor=author,
            reason=reason_text("Public update", via),
            fields=["next_update_due"],
        )
    elif _awaits(incident, author):
        from incidents.services.lifecycle import incident_resume

        incident_resume(incident=incident, actor=author, via=via)
    return comment


def _awaits(incident: Incident, author) -> bool:
    return (
        incident.status == Status.ON_HOLD
        and incident.reporter_id == author.pk
        and incident.hold_reason is not None
        and incident.hold_reason.code == "awaiting_user"
    )


@transaction.atomic
def incident_attach(*, incident: Incident, actor, files, via: str, public: bool = True) -> list:
    """Add files without a comment."""
    if not files:
        raise DomainError(_("Choose a file to upload."), field="attachment")
    incident = lock(incident)
    public = public or not can_work_incidents(actor)
    attachments = attach_files(incident=incident, files=files, actor=actor, public=public)
    record_event(
        incident=incident,
        kind=EventKind.ATTACHED,
        actor=actor,
        channel=via,
        data={"attachments": [a.pk for a in attachments]},
    )
    return attachments


@transaction.atomic
def incident_watch(*, incident: Incident, user, actor, via: str) -> bool:
    """Follow an incident (hear its public updates). Returns False if already watching.
    Refused (`NotPermitted`) when `user` may not follow it (`visibility.may_follow`)."""
    if incident.reporter_id == user.pk or incident.watchers.filter(pk=user.pk).exists():
        return False
    if not may_follow(user, incident, added_by=actor):
        raise NotPermitted(
            _("%(user)s cannot follow %(number)s.")
            % {"user": user.get_username(), "number": incident.number}
        )
    incident.watchers.add(user)
    record_event(
        incident=incident, kind=EventKind.WATCHED, actor=actor, channel=via, data={"user": user.pk}
    )
    return True


@transaction.atomic
def incident_unwatch(*, incident: Incident, user) -> None:
    incident.watchers.remove(user)
