"""What a notification says: the template context for one notification.

End users get portal links (the incident page when they may see it, else the public status
page); staff get admin links. Only public comments are ever put in a context, and the
comment is re-checked here, at send time, so a work note can never reach a message.
"""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from incidents.choices import SlaClock
from incidents.models import Comment, Incident
from notifications.models import Notification, Role

STATUS_PAGE_PATH = "/status/"
# Roles that may open the incident itself in the portal (reporter and watchers).
PORTAL_ROLES = {Role.REPORTER, Role.WATCHER}
REASONS = {
    Role.REPORTER: _("You receive this because you reported this incident."),
    Role.WATCHER: _("You receive this because you follow this incident."),
    Role.SUBSCRIBER: _("You receive this because you subscribed to the affected service."),
    Role.AFFECTED: _("You receive this because you follow an incident that is part of this one."),
    Role.ASSIGNEE: _("You receive this as the person assigned to this incident."),
    Role.TEAM: _("You receive this as the team assigned to this incident."),
    Role.LEAD: _("You receive this as lead of the assigned team."),
    Role.MANAGER: _("You receive this as an incident manager."),
}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


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


def event_parts(event, incident: Incident) -> dict:
    """What every message about one event shares (read once per batch, not per message)."""
    data = event.data or {}
    primary = _merged_into(data)
    return {
        "incident": incident,
        "number": incident.number,
        "title": incident.title,
        "public_title": incident.public_title,
        "event": event,
        "data": data,
        "comment": _public_comment(data),
        "primary": primary,
        "clock": SlaClock(data["clock"]).label if data.get("clock") in SlaClock.values else "",
        "due": _when(data.get("due")),
        "level": data.get("level", 1),
        "admin_url": absolute(incident.get_admin_url()),
        "portal_url": absolute((primary or incident).get_absolute_url()),
        "status_url": absolute(STATUS_PAGE_PATH),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "reopen_days": settings.ITSM_REOPEN_WINDOW.days,
        "auto_close_days": settings.ITSM_AUTO_CLOSE_AFTER.days,
        "site_url": settings.SITE_URL,
    }


def link_for(notification: Notification, parts: dict) -> str:
    """Staff: the admin; reporters and watchers: the incident in the portal (for a merged
    duplicate, the incident it went into); anyone else: the public status page."""
    if notification.staff:
        return parts["admin_url"]
    if notification.role in PORTAL_ROLES or parts["primary"] is not None:
        return parts["portal_url"]
    return parts["status_url"]


def notification_context(notification: Notification, shared: dict | None = None) -> dict:
    """Everything the template trio of `notification.template` may show. `shared` caches
    the per-event parts across one batch."""
    shared = {} if shared is None else shared
    if notification.event_id not in shared:
        shared[notification.event_id] = event_parts(notification.event, notification.incident)
    parts = shared[notification.event_id]
    link = link_for(notification, parts)
    return {
        **parts,
        # End users read the public face of a monitoring incident, never alert names.
        "title": parts["title"] if notification.staff else parts["public_title"],
        "staff": notification.staff,
        "role": notification.role,
        "reason": REASONS.get(notification.role, ""),
        "link": link,
        "confirm_url": f"{link}#confirm-heading",
        "reopen_url": f"{link}#confirm-heading",
    }
