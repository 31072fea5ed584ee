"""Managers register outgoing webhooks and see how their deliveries went."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.models import WebhookEndpoint
from api.parsers import JSONParser
from api.permissions import IsManager
from api.serializers.errors import COMMON, error
from api.serializers.webhooks import WebhookDeliverySerializer, WebhookEndpointSerializer

MANAGERS_ONLY = {403: error(403, "Only incident managers manage webhooks."), **COMMON}
MISSING = {404: error(404, "No such webhook.")}
INVALID = {400: error(400, "Invalid fields."), 415: error(415, "The body is not JSON.")}
RECENT_DELIVERIES = 50


@extend_schema_view(
    list=extend_schema(
        summary="List webhooks",
        responses={200: WebhookEndpointSerializer(many=True), **MANAGERS_ONLY},
    ),
    create=extend_schema(
        summary="Register a webhook",
        responses={201: WebhookEndpointSerializer, **INVALID, **MANAGERS_ONLY},
    ),
    retrieve=extend_schema(
        summary="Read a webhook",
        responses={200: WebhookEndpointSerializer, **MISSING, **MANAGERS_ONLY},
    ),
    partial_update=extend_schema(
        summary="Change a webhook",
        responses={200: WebhookEndpointSerializer, **INVALID, **MISSING, **MANAGERS_ONLY},
    ),
    destroy=extend_schema(
        summary="Remove a webhook", responses={204: None, **MISSING, **MANAGERS_ONLY}
    ),
)
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    """Endpoints that receive signed JSON for incident events (managers only)."""

    queryset = WebhookEndpoint.objects.select_related("created_by")
    serializer_class = WebhookEndpointSerializer
    permission_classes = [IsAuthenticated, IsManager]
    parser_classes = [JSONParser]
    lookup_value_regex = "[^/]+"  # anything reaches the view, which answers a JSON 404
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    pagination_class = None
    filter_backends: list = []

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    @extend_schema(
        summary="Recent deliveries of a webhook",
        responses={200: WebhookDeliverySerializer(many=True), **MISSING, **MANAGERS_ONLY},
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        deliveries = self.get_object().deliveries.select_related("event")[:RECENT_DELIVERIES]
        return Response(WebhookDeliverySerializer(deliveries, many=True).data)
