"""A practice drill: who ran which exercise with whom, its review and its figures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Drill(models.Model):
    """One exercise of a response plan or an incident template. Its incident is a practice
    incident (`Incident.practice`): it runs the real workflow and pages the participants,
    but reaches no public place, no subscriber, no webhook, no team channel and no figure.
    The figures of the exercise are computed from the incident when the drill ends
    (`drills.services.drill_end`) and stored, so they do not move afterwards."""

    plan = models.ForeignKey(
        "preparedness.ResponsePlan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drills",
        verbose_name=_("response plan"),
    )
    template = models.ForeignKey(
        "preparedness.IncidentTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drills",
        verbose_name=_("incident template"),
    )
    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="drill"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="drills", verbose_name=_("participants")
    )
    include_end_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("end user taking part"),
        help_text=_("Reports the practice incident and sees it in the portal."),
    )
    went_well = models.TextField(_("what went well"), blank=True)
    to_change = models.TextField(_("what to change"), blank=True)
    # The figures of the exercise, stored when the drill ends.
    engage_seconds = models.PositiveIntegerField(_("time to engage (s)"), null=True, blank=True)
    acknowledge_seconds = models.PositiveIntegerField(
        _("time to acknowledge (s)"), null=True, blank=True
    )
    checklist_done = models.PositiveSmallIntegerField(default=0)
    checklist_total = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["started_at"])

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")

    def __str__(self):
        return f"{self.incident.number} · {self.source_name}"

    @property
    def source_name(self) -> str:
        source = self.plan or self.template
        return source.name if source else str(_("no plan"))

    @property
    def is_running(self) -> bool:
        return self.ended_at is None

    @property
    def checklist_percent(self) -> int | None:
        """Share of the checklist ticked when the drill ended (None: there was none)."""
        if not self.checklist_total:
            return None
        return round(100 * self.checklist_done / self.checklist_total)
