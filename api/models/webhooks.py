"""Outgoing webhooks: where incident events are sent, and each attempt to send them."""

import secrets

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.choices import EventKind


def new_signing_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A URL (registered by an incident manager) that receives signed JSON for incident
    events. `events` narrows the kinds sent; empty means every kind. The receiver checks
    the `X-ITSM-Signature` header with `secret` (HMAC-SHA256), which is why the secret is
    kept as is rather than hashed."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500, validators=[URLValidator(schemes=["http", "https"])])
    secret = models.CharField(
        max_length=100,
        default=new_signing_secret,
        help_text="Receivers verify the X-ITSM-Signature header with this secret.",
    )
    events = models.JSONField(
        default=list,
        blank=True,
        help_text='Event kinds to send, e.g. ["created", "resolved"]; empty sends all.',
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook endpoint")

    def __str__(self):
        return self.name

    def wants(self, kind: str) -> bool:
        return self.active and (not self.events or kind in self.events)

    def clean(self):
        from django.core.exceptions import ValidationError

        from itsm.outbound import validate_url

        errors = {}
        valid = set(EventKind.values)
        if not isinstance(self.events, list) or not all(
            isinstance(kind, str) and kind in valid for kind in self.events
        ):
            errors["events"] = f"A list of event kinds among: {', '.join(sorted(valid))}."
        try:
            validate_url(self.url)
        except ValidationError as exc:
            errors["url"] = exc.messages
        if errors:
            raise ValidationError(errors)


class WebhookDelivery(models.Model):
    """One event sent to one endpoint. Unique per (endpoint, event), so an event dispatched
    twice is delivered once; the task claims the row before sending (compare-and-set on
    `status`, a lease as in `itsm.leases`) and records every attempt's outcome.
    `next_attempt_at` is when a waiting retry is due, so the sweep can publish it again
    if its task was lost with a killed worker."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Waiting to retry"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        "incidents.IncidentEvent", on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    payload = models.JSONField(help_text="The JSON body sent, fixed when the event happened.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once")
        ]

    def __str__(self):
        return f"{self.event} to {self.endpoint}"
