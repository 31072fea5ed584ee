"""Models of the REST API channel: access tokens, idempotency records, outgoing webhooks."""

from api.models.idempotency import IdempotencyKey
from api.models.tokens import ApiToken
from api.models.webhooks import WebhookDelivery, WebhookEndpoint

__all__ = ["ApiToken", "IdempotencyKey", "WebhookDelivery", "WebhookEndpoint"]
