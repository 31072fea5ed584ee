"""Reads of drills: who takes part in the practice incidents, the drill list."""

from collections import defaultdict

from drills.models import Drill


def taking_part(incident_ids) -> dict[int, set[int]]:
    """The user ids taking part in the drill of each practice incident: its participants,
    the manager who started it and the end user included, in one query. Notifications and
    paging reach nobody else about a practice incident."""
    people: dict[int, set[int]] = defaultdict(set)
    rows = Drill.objects.filter(incident_id__in=set(incident_ids)).values_list(
        "incident_id", "started_by_id", "include_end_user_id", "participants__id"
    )
    for incident_id, *user_ids in rows:
        people[incident_id].update(pk for pk in user_ids if pk is not None)
    return dict(people)


def drill_list():
    """Drills newest first, with what their list shows joined (one query)."""
    return Drill.objects.select_related("incident", "plan", "template", "started_by")
