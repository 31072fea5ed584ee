"""Outgoing webhook endpoints, as incident managers register them over the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.models import WebhookDelivery, WebhookEndpoint
from api.serializers.strict import StrictModelSerializer
from incidents.choices import EventKind
from itsm import outbound


class WebhookEndpointSerializer(StrictModelSerializer):
    url = serializers.URLField(max_length=500, help_text="http(s) URL that receives POSTs.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices),
        required=False,
        max_length=len(EventKind.choices),
        help_text="Event kinds to send; empty or absent sends every kind.",
    )
    secret = serializers.CharField(
        read_only=True, help_text="Verify X-ITSM-Signature with it (HMAC-SHA256)."
    )
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "name", "url", "events", "active", "secret", "created_by", "created_at"]
        read_only_fields = ["id", "secret", "created_by", "created_at"]

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError(_("Use an http or https URL."))
        outbound.validate_url(value)  # a private or loopback destination: says why
        return value

    def validate_events(self, value: list[str]) -> list[str]:
        return sorted(set(value))


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="event_id", read_only=True)
    kind = serializers.CharField(source="event.kind", read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "kind",
            "status",
            "attempts",
            "response_code",
            "error",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields
