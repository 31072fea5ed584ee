"""Writes of post-incident reviews and their action items.

Keyword-only, one transaction each, history user and reason on every save. A published
review refuses every change except the progress of its action items. Refusals raise
`incidents.exceptions.DomainError`, mapped once per channel.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from incidents.changes import in_words, labels
from incidents.exceptions import DomainError, InvalidTransition
from incidents.models import Incident
from incidents.selectors import incident_timeline
from itsm.history import save_with_history, stamp
from reviews.choices import REVIEW_TRANSITIONS, ActionStatus, ReviewStatus
from reviews.models import ActionItem, PostIncidentReview, TimelineItem

REVIEW_FIELDS = (
    "summary",
    "impact",
    "users_affected",
    "impact_started_at",
    "impact_ended_at",
    "root_cause",
    "contributing_factors",
    "went_well",
    "went_badly",
    "facilitator",
)
ACTION_FIELDS = (
    "title",
    "description",
    "owner",
    "due_date",
    "status",
    "follow_up_url",
    "follow_up_problem",
)


def _refuse_if_published(review: PostIncidentReview) -> None:
    if review.status == ReviewStatus.PUBLISHED:
        raise InvalidTransition(
            _("The review of %(number)s is published and can no longer be changed.")
            % {"number": review.incident.number}
        )


# Clock bookkeeping every change touches; a review reader learns nothing from it.
BOOKKEEPING_FIELDS = {
    "version",
    "next_update_due",
    "response_due",
    "response_warn_at",
    "resolution_due",
    "resolution_warn_at",
    "sla_paused_at",
    "sla_paused_seconds",
}


def _timeline_items(review: PostIncidentReview) -> list[TimelineItem]:
    """One line per timeline entry of the incident, less history rows that only moved
    clocks (a comment's own entry already says what happened). Changes read as on the
    incident's own timeline (`incidents.changes`): names, labels, local times."""
    entries = incident_timeline(review.incident)
    found = labels(Incident, [c for entry in entries for c in entry.changes])
    items = []
    for entry in entries:
        shown = [c for c in entry.changes if c[0] not in BOOKKEEPING_FIELDS]
        if entry.kind == "history" and entry.changes and not shown:
            continue
        changes = "; ".join(
            f"{name}: {old} → {new}" for name, old, new in in_words(Incident, shown, found)
        )
        body = "\n".join(part for part in (entry.body, changes) if part)
        title = f"{entry.title} ({entry.actor})" if entry.actor else entry.title
        items.append(
            TimelineItem(
                review=review,
                # To the minute, as the form shows it: saving the form unchanged then
                # changes nothing (and writes no history).
                at=entry.at.replace(second=0, microsecond=0),
                source=entry.kind,
                title=title[:200],
                body=body,
            )
        )
    return items


def _create_items(review: PostIncidentReview, actor) -> list[TimelineItem]:
    return bulk_create_with_history(
        _timeline_items(review),
        TimelineItem,
        default_user=actor,
        default_change_reason="Generated from the incident",
    )


def review_start(*, incident: Incident, actor) -> PostIncidentReview:
    """The incident's review, opened as a draft when it has none: impact window, affected
    service and the timeline are filled in from the incident. Safe to call twice at once."""
    existing = PostIncidentReview.objects.filter(incident=incident).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            review = PostIncidentReview(
                incident=incident,
                summary=incident.title,
                impact_started_at=incident.opened_at,
                impact_ended_at=incident.resolved_at,
                facilitator=actor if actor and actor.is_active else None,
            )
            save_with_history(review, actor=actor, reason="Opened")
            if incident.service_id:
                review.services.add(incident.service_id)
            _create_items(review, actor)
    except IntegrityError:  # someone opened it at the same moment
        return PostIncidentReview.objects.get(incident=incident)
    return review


@transaction.atomic
def review_regenerate_timeline(*, review: PostIncidentReview, actor) -> int:
    """Rebuild the generated lines from the incident (hand-written lines stay)."""
    review = PostIncidentReview.objects.select_for_update().get(pk=review.pk)
    _refuse_if_published(review)
    for item in review.timeline.exclude(source="manual"):
        stamp(item, actor=actor, reason="Timeline regenerated").delete()
    return len(_create_items(review, actor))


@transaction.atomic
def review_update(*, review: PostIncidentReview, actor, services=None, **changes):
    """Edit the narrative of a draft or in-review review."""
    unknown = set(changes) - set(REVIEW_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    review = PostIncidentReview.objects.select_for_update().get(pk=review.pk)
    _refuse_if_published(review)
    start = changes.get("impact_started_at", review.impact_started_at)
    end = changes.get("impact_ended_at", review.impact_ended_at)
    if start and end and end < start:
        raise DomainError(_("The impact cannot end before it started."), field="impact_ended_at")
    for name, value in changes.items():
        setattr(review, name, value)
    save_with_history(review, actor=actor, reason="Edited")
    if services is not None:
        review.services.set(services)
    return review


PUBLISH_REQUIRES = {"summary": "a summary", "impact": "the impact", "root_cause": "a root cause"}


@transaction.atomic
def review_transition(*, review: PostIncidentReview, actor, to: str) -> PostIncidentReview:
    """Submit (draft -> in review), send back (in review -> draft) or publish (in review ->
    published, which needs a summary, the impact and a root cause, and freezes it)."""
    review = (
        PostIncidentReview.objects.select_for_update().select_related("incident").get(pk=review.pk)
    )
    if to not in REVIEW_TRANSITIONS.get(review.status, set()):
        raise InvalidTransition(
            _("The review of %(number)s is %(status)s and cannot move to %(target)s.")
            % {
                "number": review.incident.number,
                "status": str(review.get_status_display()).lower(),
                "target": str(ReviewStatus(to).label).lower(),
            }
        )
    fields = ["status", "updated_at"]
    if to == ReviewStatus.PUBLISHED:
        missing = [
            label for name, label in PUBLISH_REQUIRES.items() if not getattr(review, name).strip()
        ]
        if missing:
            raise DomainError(
                _("Before publishing, write %(fields)s.") % {"fields": ", ".join(map(str, missing))}
            )
        review.published_at, review.published_by = timezone.now(), actor
        fields += ["published_at", "published_by"]
    review.status = to
    save_with_history(review, actor=actor, reason=ReviewStatus(to).label, fields=fields)
    return review


@transaction.atomic
def action_item_add(*, review: PostIncidentReview, actor, title: str, **fields) -> ActionItem:
    """A new action item on a review that is not yet published."""
    _refuse_if_published(review)
    if not (title or "").strip():
        raise DomainError(_("Say what will be done."), field="title")
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown action item fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    item = ActionItem(review=review, title=title.strip(), **fields)
    _stamp_completion(item)
    save_with_history(item, actor=actor, reason="Added")
    return item


def _stamp_completion(item: ActionItem) -> None:
    if item.status == ActionStatus.DONE and item.completed_at is None:
        item.completed_at = timezone.now()
    elif item.status != ActionStatus.DONE:
        item.completed_at = None


@transaction.atomic
def action_item_update(*, item: ActionItem, actor, **changes) -> ActionItem:
    """Edit an action item; once its review is published only its status may change."""
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    item = ActionItem.objects.select_for_update().select_related("review__incident").get(pk=item.pk)
    changed = {name: value for name, value in changes.items() if getattr(item, name) != value}
    if item.review.is_published and set(changed) - {"status"}:
        raise InvalidTransition(
            f"The review of {item.review.incident.number} is published: only the status of "
            "its action items can change."
        )
    if "title" in changed and not (changed["title"] or "").strip():
        raise DomainError(_("Say what will be done."), field="title")
    for name, value in changed.items():
        setattr(item, name, value)
    if changed:
        _stamp_completion(item)
        save_with_history(item, actor=actor, reason="Updated")
    return item


@transaction.atomic
def action_item_delete(*, item: ActionItem, actor) -> None:
    _refuse_if_published(item.review)
    stamp(item, actor=actor).delete()
