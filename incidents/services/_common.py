"""Plumbing every incident service shares: locking, version checks, saving with history."""

from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import Channel, Status
from incidents.exceptions import StaleVersion
from incidents.models import Incident
from incidents.rulebook import priority_for
from itsm.history import save_with_history


def lock(incident: Incident | int) -> Incident:
    """Re-read the incident row with a lock held until the transaction ends, so two
    responders acting at once are serialised and each sees the other's result."""
    pk = incident.pk if isinstance(incident, Incident) else incident
    return Incident.objects.select_for_update().get(pk=pk)


def check_version(incident: Incident, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != incident.version:
        raise StaleVersion(
            _(
                "%(number)s was changed by someone else since you opened it (your version "
                "%(yours)s, current %(current)s). Nothing was saved: reload it to see their "
                "change, then apply yours again."
            )
            % {"number": incident.number, "yours": expected_version, "current": incident.version}
        )


def reason_text(verb: str, via: str) -> str:
    return f"{verb} via {Channel(via).label}"


def save(incident: Incident, *, actor, reason: str, fields: list[str]) -> None:
    """Save the named fields, bump the version and record who did it and why in history."""
    incident.version += 1
    save_with_history(
        incident, actor=actor, reason=reason, fields=[*set(fields), "version", "updated_at"]
    )


def now():
    return timezone.now()


__all__ = [
    "Status",
    "check_version",
    "lock",
    "now",
    "priority_for",
    "reason_text",
    "save",
]
