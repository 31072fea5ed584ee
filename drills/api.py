"""/api/v1/drills/: managers start and end drills; responders read them.

Start with `{"plan": <response plan id>}` or `{"template": "<template slug>"}`,
`"participants": ["<username>", ...]` and optionally `"end_user": "<username>"`. End with
`POST /api/v1/drills/<id>/end/` and `{"went_well": "...", "to_change": "..."}`.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.pagination import IncidentCursorPagination
from api.parsers import JSONParser
from api.permissions import StaffReadManagersWrite
from api.serializers.errors import COMMON, error
from drills import selectors, services
from drills.forms import responders
from drills.models import Drill
from incidents.choices import Channel
from preparedness.models import IncidentTemplate, ResponsePlan


class DrillSerializer(serializers.ModelSerializer):
    """A drill with its practice incident, its review and the figures stored at its end."""

    incident = serializers.SlugRelatedField(slug_field="number", read_only=True)
    practice = serializers.BooleanField(source="incident.practice", read_only=True)
    plan = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    template = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    participants = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    end_user = serializers.SlugRelatedField(
        source="include_end_user", slug_field="username", read_only=True, allow_null=True
    )
    checklist_percent = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Drill
        fields = [
            "id",
            "incident",
            "practice",
            "plan",
            "template",
            "started_by",
            "started_at",
            "ended_at",
            "participants",
            "end_user",
            "went_well",
            "to_change",
            "engage_seconds",
            "acknowledge_seconds",
            "checklist_done",
            "checklist_total",
            "checklist_percent",
        ]
        read_only_fields = fields


class DrillStartSerializer(serializers.Serializer):
    plan = serializers.PrimaryKeyRelatedField(
        queryset=ResponsePlan.objects.filter(active=True), required=False, allow_null=True
    )
    template = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=IncidentTemplate.objects.filter(active=True),
        required=False,
        allow_null=True,
    )
    participants = serializers.SlugRelatedField(
        slug_field="username", queryset=responders(), many=True, allow_empty=False
    )
    end_user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )

    def validate(self, data):
        if bool(data.get("plan")) == bool(data.get("template")):
            raise serializers.ValidationError(
                {"plan": [_("Name either a response plan or an incident template, not both.")]}
            )
        return data


class DrillEndSerializer(serializers.Serializer):
    went_well = serializers.CharField(required=False, allow_blank=True, default="")
    to_change = serializers.CharField(required=False, allow_blank=True, default="")


class DrillPagination(IncidentCursorPagination):
    """Newest drill first; the cursor is an id, checked like an incident's."""

    ordering = ("-id",)


MISSING = {404: error(404, "No such drill.")}
WRITE = {400: error(400, "Invalid fields."), 403: error(403, "Only incident managers can.")}


@extend_schema_view(
    list=extend_schema(
        summary="List drills",
        responses={200: DrillSerializer(many=True), 400: error(400, "A bad page."), **COMMON},
    ),
    retrieve=extend_schema(
        summary="Read a drill", responses={200: DrillSerializer, **MISSING, **COMMON}
    ),
    create=extend_schema(
        summary="Start a drill",
        request=DrillStartSerializer,
        responses={201: DrillSerializer, **WRITE, **COMMON},
    ),
)
class DrillViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Practice drills: their incidents are kept out of every figure and public place."""

    queryset = selectors.drill_list().prefetch_related("participants")
    serializer_class = DrillSerializer
    pagination_class = DrillPagination
    lookup_value_regex = "[^/]+"  # anything reaches the view, which answers a JSON 404
    permission_classes = [permissions.IsAuthenticated, StaffReadManagersWrite]
    parser_classes = [JSONParser]

    def create(self, request, *args, **kwargs):
        form = DrillStartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        drill = services.drill_start(manager=request.user, via=Channel.API, **form.validated_data)
        return Response(self.get_serializer(drill).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End a drill with its review",
        request=DrillEndSerializer,
        responses={200: DrillSerializer, **MISSING, **WRITE, **COMMON},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        drill = self.get_object()
        form = DrillEndSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        drill = services.drill_end(drill=drill, actor=request.user, **form.validated_data)
        return Response(self.get_serializer(drill).data)
