"""The figures of one exercise, read from its practice incident when the drill ends.

Time to engage: from the start to the first page or notification sent to someone taking
part. Time to acknowledge: from the start to the first human acknowledgement (the same
events MTTA counts, `reports.metrics.human_answer_events`). Checklist: the incident's
tasks ticked, out of all of them.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q

from drills.models import Drill
from drills.selectors import taking_part


@dataclass(frozen=True)
class Figures:
    engage_seconds: int | None
    acknowledge_seconds: int | None
    checklist_done: int
    checklist_total: int


def _seconds(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else max(int((end - start).total_seconds()), 0)


def _first_engaged(drill: Drill) -> datetime | None:
    from notifications.models import Notification
    from paging.models import Page

    people = taking_part({drill.incident_id}).get(drill.incident_id, set())
    pages = Page.objects.filter(incident_id=drill.incident_id, user_id__in=people)
    mails = Notification.objects.filter(incident_id=drill.incident_id, recipient_id__in=people)
    found = [
        pages.aggregate(first=Min("sent_at"))["first"],
        mails.aggregate(first=Min("sent_at"))["first"],
    ]
    found = [moment for moment in found if moment is not None]
    return min(found) if found else None


def _first_acknowledged(drill: Drill) -> datetime | None:
    from reports.metrics import human_answer_events

    answers = human_answer_events().filter(incident_id=drill.incident_id)
    return answers.aggregate(first=Min("created_at"))["first"]


def drill_figures(drill: Drill) -> Figures:
    """The figures of `drill` as things stand (four aggregate queries)."""
    tasks = drill.incident.tasks.aggregate(total=Count("pk"), done=Count("pk", filter=Q(done=True)))
    return Figures(
        engage_seconds=_seconds(drill.started_at, _first_engaged(drill)),
        acknowledge_seconds=_seconds(drill.started_at, _first_acknowledged(drill)),
        checklist_done=tasks["done"],
        checklist_total=tasks["total"],
    )
