"""The service catalogue: who owns what, and how services are grouped."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.choices import ServiceStatus
from itsm.text import isolate


class Team(models.Model):
    """An assignment group: incidents are assigned to a team, then to one of its members."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    email = models.EmailField(blank=True, help_text=_("Shared mailbox told about new work."))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return isolate(self.name)


class Service(models.Model):
    """A business or technical service users depend on (e-mail, VPN, payroll...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    owner_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    status_override = models.CharField(
        max_length=20,
        choices=ServiceStatus.choices,
        blank=True,
        help_text=_(
            "Set to force the state shown on the status page; blank derives it from open incidents."
        ),
    )
    active = models.BooleanField(default=True)
    subscribers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="subscribed_services"
    )
    history = HistoricalRecords(excluded_fields=[])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return isolate(self.name)


class Category(models.Model):
    """Two-level classification: a top category (Hardware) and its subcategories (Laptop)."""

    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(default=True)
    confidential_by_default = models.BooleanField(
        default=False,
        help_text=_("Incidents of this category (or of its subcategories) start confidential."),
    )

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_in_parent"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="category_unique_top_level",
            ),
        ]

    def __str__(self):
        name = f"{self.parent.name} / {self.name}" if self.parent_id else self.name
        return isolate(name)

    @property
    def makes_confidential(self) -> bool:
        return self.confidential_by_default or bool(
            self.parent_id and self.parent.confidential_by_default
        )

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "Categories have two levels: pick a top category."})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A category cannot be its own parent."})
