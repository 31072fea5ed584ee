"""The incident collection: list, read, report (idempotently) and edit."""

import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.filters import IncidentFilter, StableOrderingFilter
from api.pagination import IncidentCursorPagination
from api.parsers import JSONParser
from api.permissions import WorksIncidents
from api.serializers.errors import COMMON, NOT_FOUND, error
from api.serializers.incidents import (
    IncidentCreateSerializer,
    IncidentSerializer,
    IncidentUpdateSerializer,
)
from api.services import incident_create_once, request_fingerprint
from api.views._versions import etag, expected_version
from api.views.activity import ActivityActions
from api.views.examples import (
    CREATE_EXAMPLE,
    IDEMPOTENCY_KEY,
    IDEMPOTENCY_KEY_PATTERN,
    IF_MATCH,
    INCIDENT_EXAMPLE,
    NUMBER,
)
from api.views.links import LinkActions
from api.views.transitions import TransitionActions
from incidents import services
from incidents.catalog_cache import prefetch_for_create
from incidents.choices import Channel
from incidents.models import Incident
from incidents.querysets import sla_state_of
from incidents.roles import can_work_incidents
from preparedness.api import TaskActions
from preparedness.services import incident_create_from_template
from satisfaction.api import satisfaction_of

NUMBER_SHAPE = re.compile(r"[A-Za-z0-9-]{1,20}")
IDEMPOTENCY_KEY_SHAPE = re.compile(IDEMPOTENCY_KEY_PATTERN)


@extend_schema_view(
    list=extend_schema(
        summary="List incidents",
        description="Incidents the token's user may see (end users: the ones they reported "
        "or watch), newest first, a page at a time (follow `next`).",
        responses={200: IncidentSerializer(many=True), 400: error(400, "A bad filter."), **COMMON},
    ),
    retrieve=extend_schema(
        summary="Read an incident",
        description="Responders and managers also get `satisfaction`: the reporter's rating "
        "(`score` 1-5, `satisfied` for 4 or 5, `comment`, `created_at`, `updated_at`), or null "
        "while there is none.",
        parameters=[NUMBER],
        responses={
            200: OpenApiResponse(IncidentSerializer, examples=[INCIDENT_EXAMPLE]),
            **NOT_FOUND,
            **COMMON,
        },
    ),
)
class IncidentViewSet(
    TransitionActions,
    TaskActions,
    ActivityActions,
    LinkActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Incidents, looked up by number (INC0001001)."""

    lookup_field = "number"
    lookup_value_regex = "[^/]+"  # anything reaches the view, which answers a JSON 404
    parser_classes = [JSONParser]
    serializer_class = IncidentSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = IncidentFilter
    ordering_fields = ["opened_at", "number", "priority", "updated_at"]
    ordering = ["-opened_at"]
    pagination_class = IncidentCursorPagination

    def get_queryset(self):
        return Incident.objects.visible_to(self.request.user).with_list_relations().with_sla_state()

    def get_serializer_class(self):
        """What each action reads; also the form the browsable API offers."""
        return {
            "create": IncidentCreateSerializer,
            "partial_update": IncidentUpdateSerializer,
        }.get(self.action, IncidentSerializer)

    def get_object(self):
        if not NUMBER_SHAPE.fullmatch(self.kwargs.get(self.lookup_field, "")):
            raise exceptions.NotFound(_("Not found, or you cannot see it."))
        return super().get_object()

    def get_permissions(self):
        if self.action == "partial_update":
            return [IsAuthenticated(), WorksIncidents()]
        return super().get_permissions()

    def incident_response(self, pk: int, *, code=status.HTTP_200_OK, headers=None) -> Response:
        """The incident as it is now (re-read with its SLA annotation), with its ETag."""
        incident = Incident.objects.with_list_relations().with_sla_state().get(pk=pk)
        data = IncidentSerializer(incident, context=self.get_serializer_context()).data
        return Response(
            data, status=code, headers={"ETag": etag(incident.version), **(headers or {})}
        )

    def retrieve(self, request, *args, **kwargs):
        incident = self.get_object()
        data = self.get_serializer(incident).data
        if can_work_incidents(request.user):  # staff only: the reporter's rating, read-only
            data["satisfaction"] = satisfaction_of(incident)
        return Response(data, headers={"ETag": etag(incident.version)})

    @extend_schema(
        summary="Report an incident",
        description="The token's user is the reporter, unless staff name another `reporter`. "
        "Priority follows from impact and urgency. The team is the one staff name, else "
        "the service's owner team, else the first matching routing rule, else the "
        'fallback team (README "Routing").',
        request=IncidentCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        examples=[CREATE_EXAMPLE],
        responses={
            201: OpenApiResponse(IncidentSerializer, examples=[INCIDENT_EXAMPLE]),
            400: error(400, "Invalid fields, or staff-only fields sent by an end user."),
            415: error(415, "The body is not JSON."),
            422: error(422, "The Idempotency-Key was used before with another body."),
            **COMMON,
        },
    )
    def create(self, request):
        prefetch_for_create()
        serializer = IncidentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        template = fields.pop("template", None)

        def create():
            if template is not None:  # the fields sent override the template's
                return incident_create_from_template(
                    template=template,
                    actor=request.user,
                    channel=Channel.API,
                    reporter=fields.pop("reporter", request.user),
                    overrides=fields,
                )
            return services.incident_create(
                via=Channel.API,
                actor=request.user,
                reporter=fields.pop("reporter", request.user),
                **fields,
            )

        key = request.headers.get("Idempotency-Key")
        if key is None:
            incident, created = create(), True
        else:
            if not IDEMPOTENCY_KEY_SHAPE.fullmatch(key):
                raise exceptions.ValidationError(
                    {"Idempotency-Key": [_("Send 1 to 255 visible ASCII characters, e.g. a UUID.")]}
                )
            incident, created = incident_create_once(
                user=request.user,
                key=key,
                fingerprint=request_fingerprint(request.data),
                create=create,
            )
        location = reverse("api:incident-detail", kwargs={"number": incident.number})
        headers = {"Location": request.build_absolute_uri(location)}
        if not created:
            headers["Idempotent-Replayed"] = "true"
            return self.incident_response(
                incident.pk, code=status.HTTP_201_CREATED, headers=headers
            )
        # Just written by this request: answered from memory instead of read back.
        incident.sla_breached_now, incident.sla_at_risk_now = sla_state_of(incident, timezone.now())
        data = IncidentSerializer(incident, context=self.get_serializer_context()).data
        headers["ETag"] = etag(incident.version)
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    @extend_schema(
        summary="Edit an incident",
        description="Staff only. Send the fields to change and the `version` you last read "
        "(or If-Match with the ETag). A new impact or urgency re-derives the priority.",
        parameters=[NUMBER, IF_MATCH],
        request=IncidentUpdateSerializer,
        examples=[
            OpenApiExample(
                "Raise the impact", value={"impact": "high", "version": 3}, request_only=True
            )
        ],
        responses={
            200: IncidentSerializer,
            400: error(400, "Invalid fields or If-Match header."),
            403: error(403, "End users cannot edit incidents."),
            409: error(409, "No version sent, or someone else changed it (stale_version)."),
            412: error(412, "If-Match names an older version."),
            415: error(415, "The body is not JSON."),
            **NOT_FOUND,
            **COMMON,
        },
    )
    def partial_update(self, request, number=None):
        incident = self.get_object()
        serializer = IncidentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        confidential = changes.pop("confidential", None)
        with expected_version(request, changes, required=True) as version, transaction.atomic():
            if confidential is not None:
                services.incident_set_confidential(
                    incident=incident,
                    actor=request.user,
                    confidential=confidential,
                    via=Channel.API,
                    expected_version=version,
                )
                version = None  # checked above, and the row stays locked until commit
            services.incident_update(
                incident=incident,
                actor=request.user,
                via=Channel.API,
                expected_version=version,
                **changes,
            )
        return self.incident_response(incident.pk)
