"""Composed reads: the incident timeline and the dashboard figures."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from incidents import routing
from incidents.actors import user_label
from incidents.changes import as_text, is_noop
from incidents.choices import EventKind
from incidents.models import Incident, IncidentEvent
from itsm.compiled_once import first_row_once


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # "history", "comment", "event", "routing", or what an extra source names
    title: str
    actor: str = ""
    body: str = ""
    public: bool = True
    changes: list[tuple[str, str, str]] = field(default_factory=list)


TimelineSource = Callable[[Incident], list[TimelineEntry]]
RowsOf = Callable[[object], QuerySet]  # a source's rows of an incident (or OuterRef("pk"))
_sources: list[TimelineSource] = []
_rows_of: dict[TimelineSource, RowsOf] = {}


def register_timeline_source(source: TimelineSource, rows_of: RowsOf | None = None) -> None:
    """Other apps (notifications, monitoring) add their entries to the timeline. A source
    that names the rows it shows (`rows_of`) is not asked for an incident that has none:
    whether each such source has any is read in one query (usually they have none)."""
    if source not in _sources:
        _sources.append(source)
    if rows_of is not None:
        _rows_of[source] = rows_of


def _sources_with_rows(incident: Incident) -> list[TimelineSource]:
    """The registered sources, less those whose rows `incident` is known not to have."""
    checked = [source for source in _sources if source in _rows_of]
    if len(checked) < 2:  # one EXISTS query would save nothing
        return list(_sources)

    def flags_of(pk) -> QuerySet:
        flags = {
            f"has_{n}": Exists(_rows_of[source](OuterRef("pk"))) for n, source in enumerate(checked)
        }
        return Incident.objects.filter(pk=pk).annotate(**flags).values_list(*flags).order_by()

    # The same query for every incident: compiled once (the EXISTS were most of its cost).
    key = "timeline-sources:" + ",".join(f"{s.__module__}.{s.__qualname__}" for s in checked)
    found = first_row_once(key, flags_of, incident.pk)
    has = dict(zip(checked, found or (), strict=False))
    return [source for source in _sources if has.get(source, True)]


def _history_entries(incident: Incident) -> list[TimelineEntry]:
    """One entry per history row with its field changes as stored (ids, codes, moments in
    ISO 8601). A row whose only changes are no-ops (a due time moved by seconds) says
    nothing and is left out."""
    records = list(incident.history.select_related("history_user").order_by("history_date"))
    entries = []
    for previous, record in zip([None, *records], records, strict=False):
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version"])
            changes = [
                (c.field, as_text(c.old), as_text(c.new))
                for c in delta.changes
                if not is_noop(c.old, c.new)
            ]
            if delta.changes and not changes:
                continue
        entries.append(
            TimelineEntry(
                at=record.history_date,
                kind="history",
                public=False,
                title=record.history_change_reason
                or ("Created" if previous is None else "Changed"),
                actor=user_label(record.history_user, nobody="system"),
                changes=changes,
            )
        )
    return entries


def prefetched(incident: Incident, name: str):
    """The incident's `name` rows if the page already read them (prefetched), else None."""
    return getattr(incident, "_prefetched_objects_cache", {}).get(name)


def incident_events(incident: Incident, kinds=None) -> list[IncidentEvent]:
    """The incident's events, oldest first (only `kinds` if given): the rows the page
    prefetched, else one query."""
    events = prefetched(incident, "events")
    if events is None:
        events = incident.events.all()
        return list(events if kinds is None else events.filter(kind__in=kinds))
    return [event for event in events if kinds is None or event.kind in kinds]


def _comment_entries(incident: Incident) -> list[TimelineEntry]:
    comments = prefetched(incident, "comments")
    if comments is None:
        comments = incident.comments.select_related("author")
    return [
        TimelineEntry(
            at=c.created_at,
            kind="comment",
            public=c.public,
            body=c.body,
            title=_("Public update") if c.public else _("Work note"),
            actor=user_label(c.author, nobody="system"),
        )
        for c in comments
    ]


_EVENT_KINDS_SHOWN = (
    EventKind.SLA_WARNING,
    EventKind.SLA_BREACHED,
    EventKind.UPDATE_OVERDUE,
    EventKind.ROUTED,
)


def _event_entry(event: IncidentEvent) -> TimelineEntry:
    entry = TimelineEntry(at=event.created_at, kind="event", public=False, title="")
    if event.kind == EventKind.ROUTED:
        # Not an alarm like the SLA events: its own kind, and the whole story in the title.
        entry.kind, entry.title = "routing", routing.describe(event.data)
    else:
        entry.title = event.get_kind_display()
        entry.body = ", ".join(f"{k}: {v}" for k, v in sorted(event.data.items()))
    return entry


def _event_entries(incident: Incident) -> list[TimelineEntry]:
    return [_event_entry(e) for e in incident_events(incident, _EVENT_KINDS_SHOWN)]


def incident_timeline(incident: Incident) -> list[TimelineEntry]:
    """History diffs, comments, SLA events and whatever registered sources add (alerts,
    notifications), in one chronological list. A fixed number of queries per source that
    has rows, and one to tell which have."""
    entries = _history_entries(incident) + _comment_entries(incident) + _event_entries(incident)
    for source in _sources_with_rows(incident):
        entries += source(incident)
    return sorted(entries, key=lambda entry: entry.at)
