"""Routing rules: which team is responsible for an incident nobody named a team for and
whose service has no owner team. `incidents.routing` decides; managers edit the rules."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.choices import Channel
from itsm.text import isolate

LABELS_EXAMPLE = '{"service": "checkout", "severity": "critical"}'


class RoutingRule(models.Model):
    """Send matching incidents to a team. Every condition that is set must hold; rules are
    tried in `position` order and the first match wins.

    A rule on a top category also matches its subcategories (a rule on Hardware takes
    Hardware / Laptop), so one rule covers a whole branch; a rule on a subcategory matches
    only that subcategory. A rule needs at least one condition: where unmatched incidents
    go is the fallback team's job (ITSM_FALLBACK_TEAM), and a catch-all rule would hide
    them from the dashboard's "Routed to the fallback team" block.
    """

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveIntegerField(
        default=0, help_text=_("Lower numbers are tried first; equal numbers by age.")
    )
    active = models.BooleanField(default=True)
    service = models.ForeignKey(
        "incidents.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routing_rules",
        help_text=_("Blank: any service (or none)."),
    )
    category = models.ForeignKey(
        "incidents.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routing_rules",
        help_text=_("A top category also matches its subcategories. Blank: any."),
    )
    channel = models.CharField(
        max_length=20,
        choices=Channel.choices,
        blank=True,
        help_text=_("How the incident was reported. Blank: any channel."),
    )
    labels = models.JSONField(
        default=dict,
        blank=True,
        help_text="Alert labels that must all be equal, as a JSON object, e.g. "
        f"{LABELS_EXAMPLE}. Only monitoring alerts carry labels. Empty: any.",
    )
    team = models.ForeignKey(
        "incidents.Team",
        on_delete=models.PROTECT,
        related_name="routing_rules",
        help_text=_("The team made responsible for matching incidents."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return isolate(self.name)

    def clean(self):
        labels = self.labels
        if labels is None:
            labels = self.labels = {}
        if not isinstance(labels, dict) or not all(
            isinstance(key, str) and key.strip() and isinstance(value, str)
            for key, value in labels.items()
        ):
            raise ValidationError(
                {
                    "labels": "Write the labels as a JSON object of label names to text "
                    f"values, e.g. {LABELS_EXAMPLE}."
                }
            )
        if not (self.service_id or self.category_id or self.channel or labels):
            raise ValidationError(
                _(
                    "Set at least one condition (service, category, channel or labels). "
                    "Incidents no rule matches go to the fallback team (ITSM_FALLBACK_TEAM)."
                )
            )
