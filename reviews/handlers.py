"""Incident event handlers of reviews (registered in ReviewsConfig.ready)."""

from incidents.actors import system_user
from incidents.choices import EventKind


def open_review_for_major_incident(event) -> None:
    """A major incident must be reviewed: its draft review opens as soon as it is declared.
    Idempotent (one review per incident), as every handler must be."""
    declared = event.kind == EventKind.MAJOR_DECLARED or (
        event.kind == EventKind.CREATED and (event.data or {}).get("major")
    )
    if not declared or event.incident.practice:
        return  # a drill has its own short review (drills.Drill)
    from reviews.services import review_start

    review_start(incident=event.incident, actor=event.actor or system_user())
