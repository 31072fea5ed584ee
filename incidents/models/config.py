"""Rules managers change without code: priority matrix, SLA targets, hold reasons, codes."""

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.choices import Level, Priority
from incidents.defaults import SYSTEM_RESOLUTION_CODES


class PriorityRule(models.Model):
    """One cell of the impact x urgency matrix."""

    impact = models.CharField(max_length=10, choices=Level.choices)
    urgency = models.CharField(max_length=10, choices=Level.choices)
    priority = models.CharField(max_length=2, choices=Priority.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "impact", "urgency"]
        constraints = [
            models.UniqueConstraint(fields=["impact", "urgency"], name="priority_rule_unique_cell")
        ]

    def __str__(self):
        return f"impact {self.impact} x urgency {self.urgency} = {self.priority}"


class SLAPolicy(models.Model):
    """Response and resolution targets for one priority, 24x7 or within business hours."""

    priority = models.CharField(max_length=2, choices=Priority.choices, unique=True)
    response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()
    update_interval_minutes = models.PositiveIntegerField(
        default=0, help_text=_("How often the reporter must get a public update (0: no cadence).")
    )
    warn_percent = models.PositiveSmallIntegerField(
        default=75, help_text=_("Warn when this share of a target has elapsed.")
    )
    business_hours_only = models.BooleanField(
        default=False, help_text=_("Count only business hours (below) instead of 24x7.")
    )
    business_day_start = models.TimeField(default=time(9, 0))
    business_day_end = models.TimeField(default=time(17, 0))
    business_weekdays = models.CharField(
        max_length=20, default="0,1,2,3,4", help_text=_("Weekday numbers, Monday=0.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self):
        return (
            f"{self.priority}: respond {self.response_minutes} min, "
            f"resolve {self.resolution_minutes} min"
        )

    @property
    def weekdays(self) -> set[int]:
        return {int(day) for day in self.business_weekdays.split(",") if day.strip()}


class HoldReason(models.Model):
    """Why an incident waits; some reasons stop the resolution clock (awaiting the user)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    pauses_sla = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ResolutionCode(models.Model):
    """How an incident was resolved (fixed, workaround, duplicate...)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def reserved(self) -> bool:
        """Set by the system only (see incidents.defaults.SYSTEM_RESOLUTION_CODES)."""
        return self.code in SYSTEM_RESOLUTION_CODES

    @classmethod
    def choosable(cls) -> models.QuerySet:
        """The active codes a person may resolve with: the system's own are not offered."""
        return cls.objects.filter(active=True).exclude(code__in=SYSTEM_RESOLUTION_CODES)
