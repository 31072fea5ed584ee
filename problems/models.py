"""Problems (the cause behind one or more incidents) and runbooks (how to respond)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsm.text import isolate
from problems.choices import ProblemStatus


class Problem(models.Model):
    """The unknown (or known) cause of one or more incidents, investigated once.

    A known error has a documented root cause or workaround; while the problem is active its
    workaround is shown to people reporting on the affected service. Written through
    `problems.services`, which number it and keep history.
    """

    number = models.CharField(max_length=12, unique=True, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    root_cause = models.TextField(blank=True)
    workaround = models.TextField(
        blank=True, help_text=_("Markdown. Shown to end users of the service for known errors.")
    )
    known_error = models.BooleanField(
        default=False, help_text=_("The cause or a workaround is known and documented.")
    )
    status = models.CharField(
        max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    service = models.ForeignKey(
        "incidents.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        help_text=_("The service affected; its users see the workaround of a known error."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_problems",
    )
    incidents = models.ManyToManyField(
        "incidents.Incident", through="ProblemLink", related_name="problems", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["known_error", "status"], name="problem_known_error")]

    def __str__(self):
        return f"{self.number}: {isolate(self.title)}"

    def get_admin_url(self) -> str:
        return reverse("admin:problems_problem_change", args=[self.pk])


class ProblemLink(models.Model):
    """One incident caused by one problem; unique, so linking twice at once is harmless."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links")
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="problem_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "incident"], name="problem_link_unique")
        ]

    def __str__(self):
        return f"{self.incident_id} -> {self.problem_id}"


class Runbook(models.Model):
    """A response plan for incidents on a service and/or in a category, in markdown.

    Shown on the incident page when it applies; the most specific plan (service and
    category both matching) comes first.
    """

    title = models.CharField(max_length=200)
    service = models.ForeignKey(
        "incidents.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="runbooks",
    )
    category = models.ForeignKey(
        "incidents.Category",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="runbooks",
        help_text=_("A top category also applies to its subcategories."),
    )
    body = models.TextField(help_text=_("Markdown: steps, checks, who to call."))
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service__isnull=False) | models.Q(category__isnull=False),
                name="runbook_has_scope",
                violation_error_message="Choose the service, the category or both it covers.",
            )
        ]

    def __str__(self):
        return isolate(self.title)
