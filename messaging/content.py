"""What a chat or push message about an incident says: short, with the link to act on it.

Chat messages go to staff rooms, so they link to the incident in the admin, where it is
acknowledged; links are absolute, built from SITE_URL like e-mail links.
"""

from incidents.models import Incident
from messaging.models import ChannelKind
from notifications.content import absolute

HEADLINES = {
    ChannelKind.CREATED: "New incident",
    ChannelKind.ESCALATED: "Escalated",
    ChannelKind.MAJOR_DECLARED: "Major incident declared",
    ChannelKind.RESOLVED: "Resolved",
}
# Kinds that call for someone to take the incident: the link says "Acknowledge".
CALLS_TO_ACT = {ChannelKind.CREATED, ChannelKind.ESCALATED, ChannelKind.MAJOR_DECLARED}


def incident_title(incident: Incident, priority: str | None = None) -> str:
    """`[P1] INC0000123 VPN down`."""
    return f"[{priority or incident.priority}] {incident.number} {incident.title}"[:300]


def incident_message(
    incident: Incident, kind: str, *, priority: str | None = None, note: str = ""
) -> tuple[str, str]:
    """(title, body) of a message about `incident`. Reads `incident.service` (select it
    with the incident when building many messages)."""
    service = incident.service.name if incident.service_id else "no service"
    lines = [
        f"{HEADLINES.get(kind, kind)}: {service}, {incident.get_status_display()}"
        + (", major incident" if incident.major else ""),
    ]
    if note:
        lines.append(note)
    verb = "Acknowledge" if kind in CALLS_TO_ACT and incident.is_open else "Open"
    lines.append(f"{verb}: {absolute(incident.get_admin_url())}")
    return incident_title(incident, priority), "\n".join(lines)
