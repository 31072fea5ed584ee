"""The incident-event handler that posts to team channels (registered in apps.py).

It runs in the worker that drains the event outbox, on whole batches: the channels of every
team concerned are read in one query, and incidents (with their service) in one more, only
when some team of the batch has a channel, so the common case costs a single query.
"""

from incidents.choices import EventKind
from incidents.models import Incident, IncidentEvent
from messaging.content import incident_message
from messaging.selectors import active_channels_by_team
from messaging.services import channel_messages_create

# Event kinds posted here; escalations are posted by the paging engine through channels_post.
POSTED_KINDS = {EventKind.CREATED, EventKind.MAJOR_DECLARED, EventKind.RESOLVED}


def post_events(events: list[IncidentEvent]) -> None:
    """Record and send the channel messages of a batch of events. Idempotent: messages are
    unique per channel and event, and sending claims them first."""
    wanted = [event for event in events if event.kind in POSTED_KINDS]
    if not wanted:
        return
    channels = active_channels_by_team(event.incident.team_id for event in wanted)
    wanted = [event for event in wanted if channels.get(event.incident.team_id)]
    if not wanted:
        return
    incidents = Incident.objects.select_related("service").in_bulk(
        {event.incident_id for event in wanted}
    )
    for event in wanted:
        incident = incidents[event.incident_id]
        priority = _priority(event, incident)
        title, body = incident_message(incident, event.kind, priority=priority)
        channel_messages_create(
            channels=channels[incident.team_id],
            incident=incident,
            kind=event.kind,
            title=title,
            body=body,
            event=event,
            priority=priority,
        )


def _priority(event: IncidentEvent, incident: Incident) -> str:
    """A new incident is posted with the priority it was created with, even if it changed
    before the event was handled."""
    if event.kind == EventKind.CREATED:
        return (event.data or {}).get("priority") or incident.priority
    return incident.priority
