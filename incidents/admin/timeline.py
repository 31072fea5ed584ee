"""The change page's timeline in words (see `incidents.changes`): history diffs name the
service, the person or the status instead of their ids and codes (one query per kind of
related object at most), and show moments as every history does."""

from incidents.changes import in_words, labels
from incidents.models import Incident
from incidents.selectors import TimelineEntry, incident_timeline


def _changes(entries: list[TimelineEntry]):
    return [change for entry in entries if entry.kind == "history" for change in entry.changes]


def readable_timeline(incident: Incident) -> list[TimelineEntry]:
    """`incident_timeline`, newest first, with diffs a person can read."""
    entries = incident_timeline(incident)
    found = labels(Incident, _changes(entries))
    for entry in entries:
        if entry.kind == "history":
            entry.changes = in_words(Incident, entry.changes, found)
    return list(reversed(entries))
