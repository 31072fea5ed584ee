"""Monitoring intake: who may send alerts, the alerts themselves and how they are grouped.

Writes go through `integrations.services`; incidents are opened and resolved only through
`incidents.services`, as the integration's own service user.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incidents.choices import Priority
from integrations.choices import AlertStatus, Kind, default_severity_priority


class Integration(models.Model):
    """A monitoring source with its own secret token, defaults and intake rules.

    Only a SHA-256 digest of the token is stored; the token is shown once when it is issued.
    Everything the integration does is recorded in history as `service_user`, an inactive
    account that cannot log in.
    """

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(
        max_length=8, editable=False, help_text=_("First characters of the token, to recognise it.")
    )
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        editable=False,
        related_name="monitoring_integration",
    )
    default_service = models.ForeignKey(
        "incidents.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Used when an alert's `service` label names no known service."),
    )
    default_team = models.ForeignKey(
        "incidents.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Blank: the service's owner team."),
    )
    severity_priority = models.JSONField(
        default=default_severity_priority,
        help_text=_('Severity to priority, e.g. {"critical": "P1", "warning": "P3"}.'),
    )
    default_priority = models.CharField(
        max_length=2,
        choices=Priority.choices,
        default=Priority.P3,
        help_text=_("For a severity the mapping does not name."),
    )
    auto_resolve = models.BooleanField(
        default=True, help_text=_("Resolve the incident when its alerts resolve.")
    )
    active = models.BooleanField(default=True)
    confidential_by_default = models.BooleanField(
        default=False,
        help_text=_(
            "Incidents it opens start confidential (e.g. an intrusion detection "
            "system): only the assignee, the security team and incident managers see them."
        ),
    )
    grouping_labels = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Comma-separated labels (e.g. alertname,service): alerts sharing their "
            "values fold into one incident. Blank: Alertmanager's group, or the event dedup_key."
        ),
    )
    heartbeat_interval_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Expect a heartbeat this often; blank: none expected.")
    )
    quiet_period_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "Resolve an incident whose alerts have not fired for this long (for "
            "sources that never send `resolved`); blank: off."
        ),
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        default=120, help_text=_("Events API requests accepted per minute (Alertmanager: none).")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    refused_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_(
            "Deliveries refused because they can never be stored (the sender does not retry them)."
        ),
    )
    last_refused_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_refused_reason = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        mapping = self.severity_priority
        if not isinstance(mapping, dict) or not all(
            isinstance(key, str) and value in Priority.values for key, value in mapping.items()
        ):
            raise ValidationError(
                {
                    "severity_priority": "Map each severity to a priority, e.g. "
                    '{"critical": "P1", "error": "P2", "warning": "P3", "info": "P5"}.'
                }
            )
        labels = [label.strip() for label in self.grouping_labels.split(",")]
        if self.grouping_labels and not all(label.isidentifier() for label in labels):
            raise ValidationError({"grouping_labels": "Label names separated by commas."})

    @property
    def grouping_rule(self) -> list[str]:
        return [label.strip() for label in self.grouping_labels.split(",") if label.strip()]

    def priority_for(self, severity: str) -> str:
        value = (self.severity_priority or {}).get((severity or "").lower())
        return value if value in Priority.values else self.default_priority


class AlertGroup(models.Model):
    """Alerts that share a key (Alertmanager group, event dedup_key or grouping rule) and the
    incident they raised. At most one group per (integration, key) is open: a partial unique
    index, so simultaneous identical deliveries cannot open two incidents."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="groups")
    key = models.CharField(max_length=300)
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alert_groups",
    )
    open = models.BooleanField(default=True)
    title = models.CharField(max_length=200)
    service = models.ForeignKey(
        "incidents.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suppressed = models.BooleanField(
        default=False, help_text=_("Fired during a maintenance window: recorded, no incident.")
    )
    opened_at = models.DateTimeField()
    last_fired_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "key"],
                condition=Q(open=True),
                name="alertgroup_one_open_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["integration", "key", "closed_at"], name="alertgroup_history"),
            models.Index(
                fields=["last_fired_at"], condition=Q(open=True), name="alertgroup_open_quiet"
            ),
        ]

    def __str__(self):
        return self.title


class Alert(models.Model):
    """One alert of a group, tracked by fingerprint: a re-sent alert raises `count` and
    `last_seen_at` instead of being stored again. Labels and annotations are kept as the
    sender wrote them (text; templates escape them)."""

    group = models.ForeignKey(AlertGroup, on_delete=models.CASCADE, related_name="alerts")
    fingerprint = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=AlertStatus.choices)
    labels = models.JSONField(default=dict)
    annotations = models.JSONField(default=dict)
    generator_url = models.TextField(blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    count = models.PositiveIntegerField(default=1, help_text=_("Deliveries received."))

    class Meta:
        ordering = ["first_seen_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "fingerprint"], name="alert_unique_in_group")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return str(self.labels.get("alertname") or self.annotations.get("summary") or "alert")


class MaintenanceWindow(models.Model):
    """Planned work on a service: alerts meanwhile are recorded but open no incident, so
    nobody is paged for what was announced."""

    service = models.ForeignKey(
        "incidents.Service", on_delete=models.CASCADE, related_name="maintenance_windows"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    # Announced on the status page and mailed to its subscribers when public.
    public = models.BooleanField(
        _("announce on the status page"),
        default=False,
        help_text=_("Public windows are shown on the status page and mailed to subscribers."),
    )
    title = models.CharField(_("public title"), max_length=200, blank=True)
    description = models.TextField(_("public description"), blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="maintenance_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["service", "ends_at"], name="maintenance_service_end")]

    def __str__(self):
        return f"{self.service} maintenance {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The window must end after it starts."})


class Heartbeat(models.Model):
    """When an integration last said it is alive; the periodic check opens an incident when
    it has been silent for longer than its interval."""

    integration = models.OneToOneField(
        Integration, on_delete=models.CASCADE, related_name="heartbeat"
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Heartbeat of {self.integration}"


class DeliveryQuerySet(models.QuerySet):
    def waiting(self):
        """Accepted and not yet processed, oldest first (a walk of `delivery_waiting`)."""
        return self.filter(processed_at__isnull=True).order_by("pk")


class Delivery(models.Model):
    """A monitoring delivery accepted and waiting to be processed (an inbox).

    The endpoint validates the payload, stores it here in one INSERT and answers; a single
    drainer (`integrations.tasks.drain_deliveries`) turns waiting deliveries into alerts and
    incidents, oldest first. A delivery that was processed is deleted; one that can never be
    processed keeps `failed`, its reason in `last_error` and `processed_at`, for managers.
    """

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    payload = models.JSONField(help_text=_("The decoded body, unstorable characters replaced."))
    replaced = models.JSONField(
        default=list, help_text=_("Fields whose unstorable characters were replaced.")
    )
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failed = models.BooleanField(default=False)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(processed_at__isnull=True), name="delivery_waiting"
            ),
            models.Index(fields=["integration"], condition=Q(failed=True), name="delivery_failed"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} delivery {self.pk} of {self.integration_id}"
