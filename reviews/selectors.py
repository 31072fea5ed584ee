"""Reads of reviews: overdue action items and the reviews major incidents still owe."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from incidents.choices import Status
from incidents.models import Incident
from reviews.choices import OPEN_ACTION_STATUSES, ReviewStatus
from reviews.models import ActionItem, PostIncidentReview


def overdue_action_items(today=None):
    """Open or in-progress action items whose due date has passed."""
    today = today or timezone.localdate()
    return ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)


def reviews_owed():
    """Major incidents, resolved or closed, whose review is missing or not yet published."""
    published = PostIncidentReview.objects.filter(
        incident=OuterRef("pk"), status=ReviewStatus.PUBLISHED
    )
    return (
        Incident.objects.filter(major=True, status__in=[Status.RESOLVED, Status.CLOSED])
        .filter(~Exists(published))
        .select_related("review", "service")
        .order_by("resolved_at")
    )


def reviews_with_counts():
    """Reviews with their open and overdue action item counts as annotations."""
    today = timezone.localdate()
    open_q = Q(action_items__status__in=OPEN_ACTION_STATUSES)
    return PostIncidentReview.objects.annotate(
        open_actions=Count("action_items", filter=open_q),
        overdue_actions=Count("action_items", filter=open_q & Q(action_items__due_date__lt=today)),
    )
