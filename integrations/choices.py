"""Enumerations of monitoring intake and the defaults that belong next to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.choices import Priority


class Kind(models.TextChoices):
    """Which ingest endpoint an integration's token opens (and only that one)."""

    ALERTMANAGER = "alertmanager", _("Prometheus Alertmanager")
    EVENTS = "events", _("Events API (PagerDuty v2 shape)")


class AlertStatus(models.TextChoices):
    FIRING = "firing", _("Firing")
    RESOLVED = "resolved", _("Resolved")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")
    INFO = "info", _("Info")


# What a sender's `severity` becomes; each integration keeps its own editable copy.
DEFAULT_SEVERITY_PRIORITY = {
    Severity.CRITICAL.value: Priority.P1.value,
    Severity.ERROR.value: Priority.P2.value,
    Severity.WARNING.value: Priority.P3.value,
    Severity.INFO.value: Priority.P5.value,
}


def default_severity_priority() -> dict[str, str]:
    return dict(DEFAULT_SEVERITY_PRIORITY)


# Limits of the events API (PagerDuty's own), also applied to the Alertmanager body.
MAX_BODY_BYTES = 512 * 1024
MAX_DEDUP_KEY = 255
MAX_SUMMARY = 1024

# Group keys are namespaced by where they come from, so a sender cannot collide with another
# source of the same integration (an events dedup_key cannot pose as the heartbeat).
KEY_ALERTMANAGER = "am:"
KEY_EVENT = "event:"
KEY_RULE = "rule:"
KEY_HEARTBEAT = "heartbeat"
