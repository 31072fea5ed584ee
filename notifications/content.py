"""What a notification says: the template context for one notification.

End users get portal links (the incident page when they may see it, else the public status
page); staff get admin links. Only public comments are ever put in a context, and the
comment is re-checked here, at send time, so a work note can never reach a message.
"""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from incidents.choices import SlaClock
from incidents.models import Comment, Incident
from notifications.models import Notification, Role

STATUS_PAGE_PATH = "/status/"
# Roles that may open the incident itself in the portal (reporter and watchers).
PORTAL_ROLES = {Role.REPORTER, Role.WATCHER}
REASONS = {
    Role.REPORTER: "You receive this because you reported this incident.",
    Role.WATCHER: "You receive this because you follow this incident.",
    Role.SUBSCRIBER: "You receive this because you subscribed to the affected service.",
    Role.AFFECTED: "You receive this because you follow an incident that is part of this one.",
    Role.ASSIGNEE: "You receive this as the person assigned to this incident.",
    Role.TEAM: "You receive this as the team assigned to this incident.",
    Role.LEAD: "You receive this as lead of the assigned team.",
    Role.MANAGER: "You receive this as an incident manager.",
}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def link_for(notification: Notification, incident: Incident) -> str:
    if notification.staff:
        return absolute(incident.get_admin_url())
    if notification.role in PORTAL_ROLES:
        return absolute(incident.get_absolute_url())
    return absolute(STATUS_PAGE_PATH)


def _when(value) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _public_comment(data: dict) -> Comment | None:
    comment_id = data.get("comment")
    if not comment_id:
        return None
    return Comment.objects.select_related("author").filter(pk=comment_id, public=True).first()


def _merged_into(data: dict) -> Incident | None:
    number = data.get("into")
    return Incident.objects.filter(number=number).first() if number else None


def notification_context(notification: Notification) -> dict:
    """Everything the template trio of `notification.template` may show."""
    event, incident = notification.event, notification.incident
    data = event.data or {}
    link = link_for(notification, incident)
    primary = _merged_into(data)
    if primary is not None and not notification.staff:
        link = absolute(primary.get_absolute_url())
    return {
        "incident": incident,
        "number": incident.number,
        "title": incident.title,
        "event": event,
        "data": data,
        "staff": notification.staff,
        "role": notification.role,
        "reason": REASONS.get(notification.role, ""),
        "link": link,
        "confirm_url": f"{link}#confirm-heading",
        "reopen_url": f"{link}#confirm-heading",
        "preferences_url": absolute(reverse("notifications:preferences")),
        "comment": _public_comment(data),
        "primary": primary,
        "clock": SlaClock(data["clock"]).label if data.get("clock") in SlaClock.values else "",
        "due": _when(data.get("due")),
        "level": data.get("level", 1),
        "reopen_days": settings.ITSM_REOPEN_WINDOW.days,
        "auto_close_days": settings.ITSM_AUTO_CLOSE_AFTER.days,
        "site_url": settings.SITE_URL,
    }
