"""Review and action item states, and the review workflow."""

from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


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
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    WONT_DO = "wont_do", "Won't do"


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
