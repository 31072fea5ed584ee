"""Review and action item states, and the review workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


REVIEW_TRANSITIONS = {
    ReviewStatus.DRAFT: {ReviewStatus.IN_REVIEW},
    ReviewStatus.IN_REVIEW: {ReviewStatus.DRAFT, ReviewStatus.PUBLISHED},
    ReviewStatus.PUBLISHED: set(),
}

REVIEW_STATUS_COLOURS = {
    ReviewStatus.DRAFT: "#a16207",
    ReviewStatus.IN_REVIEW: "#2563eb",
    ReviewStatus.PUBLISHED: "#15803d",
}


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    WONT_DO = "wont_do", _("Won't do")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
