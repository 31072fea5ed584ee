"""Schedules (managers write, responders read) and who is on call (responders)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import JSONParser
from api.permissions import StaffReadManagersWrite
from api.serializers.errors import COMMON, error
from oncall import selectors, services
from oncall.api.serializers import (
    LayerInputSerializer,
    OnCallQuerySerializer,
    OnCallSerializer,
    OverrideInputSerializer,
    OverrideSerializer,
    ScheduleInputSerializer,
    ScheduleSerializer,
)

READ = {403: error(403, "Only responders and incident managers read schedules."), **COMMON}
WRITE = {403: error(403, "Only incident managers change schedules."), **COMMON}
MISSING = {404: error(404, "No such schedule.")}
INVALID = {
    400: error(400, "Invalid fields; `errors` names them."),
    415: error(415, "The body is not JSON."),
}


@extend_schema_view(
    list=extend_schema(
        summary="List on-call schedules", responses={200: ScheduleSerializer(many=True), **READ}
    ),
    retrieve=extend_schema(
        summary="Read an on-call schedule",
        responses={200: ScheduleSerializer, **MISSING, **READ},
    ),
    create=extend_schema(
        summary="Create an on-call schedule",
        description="Layers stack in the order given: where several have someone on call, "
        "the last wins. Naive datetimes are read in the schedule's `time_zone`.",
        request=ScheduleInputSerializer,
        responses={201: ScheduleSerializer, **INVALID, **WRITE},
    ),
)
class ScheduleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """On-call schedules of the teams, with layers, participants and recent overrides."""

    serializer_class = ScheduleSerializer
    permission_classes = [IsAuthenticated, StaffReadManagersWrite]
    parser_classes = [JSONParser]
    lookup_value_regex = "[^/]+"  # anything reaches the view, which answers a JSON 404
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return selectors.schedules_for_timeline()

    def get_object(self):
        if not str(self.kwargs["pk"]).isdigit():
            self.kwargs["pk"] = "0"  # a JSON 404, not a database error
        return super().get_object()

    def create(self, request, *args, **kwargs):
        serializer = ScheduleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        layer_input = LayerInputSerializer()
        schedule = services.schedule_create(
            name=data["name"],
            team=data["team"],
            time_zone=data.get("time_zone") or timezone.get_default_timezone_name(),
            layers=[layer_input.spec(layer) for layer in data["layers"]],
            actor=request.user,
        )
        schedule = self.get_queryset().get(pk=schedule.pk)
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add an override",
        description="`user` covers [start, end) whoever the layers name. Naive datetimes "
        "are read in the schedule's time zone.",
        request=OverrideInputSerializer,
        responses={201: OverrideSerializer, **INVALID, **MISSING, **WRITE},
    )
    @action(detail=True, methods=["post"])
    def overrides(self, request, pk=None):
        schedule = self.get_object()
        serializer = OverrideInputSerializer(data=request.data)
        with timezone.override(schedule.tz):
            serializer.is_valid(raise_exception=True)
        override = services.override_create(
            schedule=schedule, actor=request.user, **serializer.validated_data
        )
        return Response(OverrideSerializer(override).data, status=status.HTTP_201_CREATED)


class OnCallView(APIView):
    """Who is on call at an instant: one row per schedule that has someone then."""

    permission_classes = [IsAuthenticated, StaffReadManagersWrite]

    @extend_schema(
        summary="Who is on call",
        parameters=[
            OpenApiParameter("team", OpenApiTypes.STR, description="A team's slug; default all."),
            OpenApiParameter(
                "at",
                OpenApiTypes.DATETIME,
                description="ISO 8601 with a UTC offset; default now.",
            ),
        ],
        responses={
            200: OnCallSerializer(many=True),
            400: error(400, "A parameter is not valid; `errors` names it."),
            **READ,
        },
    )
    def get(self, request):
        query = OnCallQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        shifts = selectors.on_call_now(
            team=query.validated_data.get("team"), at=query.validated_data.get("at")
        )
        return Response(OnCallSerializer(shifts, many=True).data)
