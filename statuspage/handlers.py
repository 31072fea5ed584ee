"""Incident events seen by the status page (registered in apps.py): the cached page is
dropped, the uptime rollup of the days concerned recomputed (new incidents are counted by
the beat, see BACKDATED), and subscribers mailed about new public incidents, their official
updates and their resolution."""

from datetime import timedelta

from incidents.choices import EventKind
from incidents.models import Incident, IncidentEvent
from statuspage import cache, selectors, services

# Events after which an incident may have become public (new, declared major, made
# non-confidential, impact raised): subscribers hear of it once.
OPENING_KINDS = {
    EventKind.CREATED,
    EventKind.MAJOR_DECLARED,
    EventKind.CONFIDENTIALITY,
    EventKind.UPDATED,
    EventKind.PRIORITY_CHANGED,
    EventKind.REOPENED,
}
UPTIME_KINDS = OPENING_KINDS | {EventKind.RESOLVED, EventKind.CLOSED, EventKind.CANCELLED}
# The rollup counts an open incident up to now, and the beat recomputes today every five
# minutes (statuspage.tasks.refresh_uptime). A new incident recorded when it opened adds
# nothing the next beat would not count, so its creation does not recompute the rollup at
# once: that reads every public incident overlapping the days concerned, which made it the
# dispatch's largest cost per batch of new incidents. A backdated one (opened more than
# this before it was recorded) and every later change still do.
BACKDATED = timedelta(minutes=1)


def on_incident_events(events: list[IncidentEvent]) -> None:
    """Idempotent: the rollup is recomputed from scratch, each mail row is unique per key
    and subscriber, and the send task claims rows before sending."""
    cache.status_changed()
    ids = [event.incident_id for event in events]
    public = {
        incident.pk: incident
        for incident in selectors.status_incidents().filter(pk__in=ids).select_related("service")
    }
    touched = [event for event in events if changes_uptime(event)]
    if touched:
        # Every incident here, public or not any more: one made confidential leaves the bars.
        earliest = Incident.objects.filter(pk__in=[e.incident_id for e in touched])
        first = earliest.order_by("opened_at").values_list("opened_at", flat=True).first()
        if first:
            services.uptime_refresh_since(first)
    mails = {}  # by key: the first event that calls for a mail writes its text
    for event in events:
        mail = mail_for(event, public[event.incident_id]) if event.incident_id in public else None
        if mail is not None:
            mails.setdefault(mail.key, mail)
    # The rows must be committed before a worker reads them.
    services.enqueue_on_commit(services.mails_create_many(list(mails.values())))


def changes_uptime(event: IncidentEvent) -> bool:
    """Whether the event changes the rollup beyond what the next beat counts anyway."""
    if event.kind != EventKind.CREATED:
        return event.kind in UPTIME_KINDS
    return event.created_at - event.incident.opened_at > BACKDATED


def _context(incident: Incident) -> dict:
    return {
        "title": incident.public_title,
        "service": incident.service.name if incident.service_id else "",
        "opened_at": incident.opened_at.isoformat(),
        "month": incident.opened_at.strftime("%Y-%m"),
    }


def mail_for(event: IncidentEvent, incident: Incident) -> services.MailSpec | None:
    """The mail one event of a public incident calls for, if any."""
    context = _context(incident)
    if event.kind in OPENING_KINDS and incident.is_open:
        key, template = f"incident:{incident.pk}:opened", "status-incident-opened"
    elif event.kind == EventKind.COMMENTED and selectors.is_official_update(
        event.data.get("comment", 0)
    ):
        comment = selectors.official_updates().get(pk=event.data["comment"])
        key, template = f"comment:{comment.pk}", "status-incident-update"
        context.update(body=comment.body, at=comment.created_at.isoformat())
    elif event.kind == EventKind.RESOLVED:
        key, template = f"event:{event.pk}", "status-incident-resolved"
        context["at"] = event.created_at.isoformat()
    else:
        return None
    return services.MailSpec(key, template, context, incident.service_id)


def mail_event(event: IncidentEvent, incident: Incident) -> list[int]:
    """The mail rows one event of a public incident calls for; ids still to send."""
    mail = mail_for(event, incident)
    return services.mails_create_many([mail] if mail else [])
