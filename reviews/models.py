"""Post-incident reviews: what happened, why, and what we change so it does not happen again."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.changes import when
from reviews.choices import OPEN_ACTION_STATUSES, ActionStatus, ReviewStatus


class PostIncidentReview(models.Model):
    """The blameless write-up of one incident: impact, timeline, causes, lessons, actions.

    Opened automatically for major incidents (required there), by hand for any other. Moves
    draft -> in review -> published through `reviews.services`; a published review is
    read-only and its history kept, only its action items' progress moves on.
    """

    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="review"
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    summary = models.TextField(blank=True, help_text=_("What happened, in a few sentences."))
    impact = models.TextField(blank=True, help_text=_("Who was affected and how."))
    users_affected = models.PositiveIntegerField(null=True, blank=True)
    impact_started_at = models.DateTimeField(null=True, blank=True)
    impact_ended_at = models.DateTimeField(null=True, blank=True)
    services = models.ManyToManyField(
        "incidents.Service", blank=True, related_name="reviews", verbose_name=_("affected services")
    )
    root_cause = models.TextField(blank=True)
    contributing_factors = models.TextField(blank=True)
    went_well = models.TextField("what went well", blank=True)
    went_badly = models.TextField("what went badly", blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[services])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("post-incident review")
        permissions = [("publish_postincidentreview", "Can publish post-incident reviews")]

    def __str__(self):
        return f"Review of {self.incident.number}"

    def get_admin_url(self) -> str:
        return reverse("admin:reviews_postincidentreview_change", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED

    @property
    def impact_duration(self):
        if self.impact_started_at and self.impact_ended_at:
            return self.impact_ended_at - self.impact_started_at
        return None


class TimelineItem(models.Model):
    """One line of a review's timeline: generated from the incident's history, comments,
    SLA events and alerts when the review opens, then corrected or added to by hand."""

    review = models.ForeignKey(
        PostIncidentReview, on_delete=models.CASCADE, related_name="timeline"
    )
    at = models.DateTimeField()
    source = models.CharField(
        max_length=20, default="manual", help_text=_("history, comment, event, alert... or manual")
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{when(self.at)} {self.title}"


class ActionItem(models.Model):
    """A change we commit to after the review, owned by one person with a due date.

    Owners are reminded by e-mail once a day while it is overdue (`reviews.tasks`);
    `last_reminded_on` is claimed before sending so a reminder goes out once a day at most.
    """

    review = models.ForeignKey(
        PostIncidentReview, on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_action_items",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    follow_up_url = models.URLField(
        "follow-up link", blank=True, help_text=_("Change request, ticket or document.")
    )
    follow_up_problem = models.ForeignKey(
        "problems.Problem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["last_reminded_on"])

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="action_item_due")]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.due_date
            and self.status in OPEN_ACTION_STATUSES
            and self.due_date < timezone.localdate()
        )
