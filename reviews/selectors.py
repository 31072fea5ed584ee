"""Reads of reviews: overdue action items and reviews with their action item counts."""

from django.db.models import Count, Q
from django.utils import timezone

from reviews.choices import OPEN_ACTION_STATUSES
from reviews.models import ActionItem, PostIncidentReview


def overdue_action_items(today=None):
    """Open or in-progress action items whose due date has passed."""
    today = today or timezone.localdate()
    return ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)


def reviews_with_counts():
    """Reviews with their open and overdue action item counts as annotations."""
    today = timezone.localdate()
    open_q = Q(action_items__status__in=OPEN_ACTION_STATUSES)
    return PostIncidentReview.objects.annotate(
        open_actions=Count("action_items", filter=open_q),
        overdue_actions=Count("action_items", filter=open_q & Q(action_items__due_date__lt=today)),
    )
