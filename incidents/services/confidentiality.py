"""Marking an incident confidential, or no longer so."""

from django.db import transaction
from django.utils.translation import gettext as _

from incidents.choices import EventKind
from incidents.events import record_event
from incidents.exceptions import NotPermitted
from incidents.models import Incident
from incidents.roles import can_work_incidents
from incidents.services._common import check_version, lock, reason_text, save
from incidents.visibility import may_see


@transaction.atomic
def incident_set_confidential(
    *, incident: Incident, actor, confidential: bool, via: str, expected_version: int | None = None
) -> Incident:
    """Make the incident visible only to its reporter, its assignee, the security team and
    incident managers (or to everyone who works incidents again). Responders and managers
    who see it decide; records history and a `confidentiality` event (which tells nobody
    by e-mail)."""
    if not (can_work_incidents(actor) and may_see(actor, incident)):
        raise NotPermitted(_("Only responders and incident managers can change confidentiality."))
    incident = lock(incident)
    check_version(incident, expected_version)
    if incident.confidential == confidential:
        return incident
    incident.confidential = confidential
    verb = "Marked confidential" if confidential else "No longer confidential"
    save(incident, actor=actor, reason=reason_text(verb, via), fields=["confidential"])
    record_event(
        incident=incident,
        kind=EventKind.CONFIDENTIALITY,
        actor=actor,
        channel=via,
        data={"confidential": confidential},
    )
    return incident
