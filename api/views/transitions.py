"""Workflow actions on one incident: POST /incidents/{number}/<action>/."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated

from api.permissions import MayClose, MayReopen, WorksIncidents
from api.serializers.errors import COMMON, NOT_FOUND, error
from api.serializers.incidents import (
    AssignSerializer,
    HoldSerializer,
    IncidentSerializer,
    ReasonSerializer,
    ResolveSerializer,
    VersionSerializer,
)
from api.views._versions import expected_version
from api.views.examples import IF_MATCH, NUMBER
from incidents import services
from incidents.choices import Channel

STAFF = [IsAuthenticated, WorksIncidents]
CLOSERS = [IsAuthenticated, MayClose]
REOPENERS = [IsAuthenticated, MayReopen]


def transition_schema(name: str, summary: str, request, who: str = "Staff only."):
    return extend_schema(
        operation_id=f"incidents_{name}",
        summary=summary,
        description=f"{who} Optionally send the `version` you last read (or If-Match): "
        "if the incident changed since, nothing happens and you get 409 (412 for If-Match).",
        parameters=[NUMBER, IF_MATCH],
        request=request,
        responses={
            200: IncidentSerializer,
            400: error(400, "Missing or invalid fields."),
            403: error(403, "The user's role does not allow this action."),
            409: error(409, "Not allowed in the current status, or a stale version."),
            412: error(412, "If-Match names an older version."),
            415: error(415, "The body is not JSON."),
            **NOT_FOUND,
            **COMMON,
        },
    )


class TransitionActions:
    """Each action validates its fields and calls the matching service with via=API."""

    def _transition(self, request, serializer_class, perform):
        incident = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        with expected_version(request, fields, required=False) as version:
            perform(
                incident=incident,
                actor=request.user,
                via=Channel.API,
                expected_version=version,
                **fields,
            )
        return self.incident_response(incident.pk)

    @transition_schema("acknowledge", "Acknowledge", VersionSerializer)
    @action(detail=True, methods=["post"], permission_classes=STAFF)
    def acknowledge(self, request, number=None):
        return self._transition(request, VersionSerializer, services.incident_acknowledge)

    @transition_schema("start", "Start work", VersionSerializer)
    @action(detail=True, methods=["post"], permission_classes=STAFF)
    def start(self, request, number=None):
        return self._transition(request, VersionSerializer, services.incident_start)

    @transition_schema("assign", "Assign to a team and/or a responder", AssignSerializer)
    @action(detail=True, methods=["post"], permission_classes=STAFF)
    def assign(self, request, number=None):
        return self._transition(request, AssignSerializer, services.incident_assign)

    @transition_schema("hold", "Put on hold", HoldSerializer)
    @action(detail=True, methods=["post"], permission_classes=STAFF)
    def hold(self, request, number=None):
        return self._transition(request, HoldSerializer, services.incident_hold)

    @transition_schema("resume", "Resume after a hold", VersionSerializer)
    @action(detail=True, methods=["post"], permission_classes=STAFF)
    def resume(self, request, number=None):
        return self._transition(request, VersionSerializer, services.incident_resume)

    @transition_schema("resolve", "Resolve", ResolveSerializer)
    @action(detail=True, methods=["post"], permission_classes=STAFF)
    def resolve(self, request, number=None):
        return self._transition(request, ResolveSerializer, services.incident_resolve)

    @transition_schema(
        "reopen",
        "Reopen a resolved incident",
        ReasonSerializer,
        "The reporter, or staff; within the reopen window after resolution.",
    )
    @action(detail=True, methods=["post"], permission_classes=REOPENERS)
    def reopen(self, request, number=None):
        return self._transition(request, ReasonSerializer, services.incident_reopen)

    @transition_schema(
        "close",
        "Close (confirm the fix)",
        VersionSerializer,
        "The reporter, or staff; only when resolved.",
    )
    @action(detail=True, methods=["post"], permission_classes=CLOSERS)
    def close(self, request, number=None):
        return self._transition(request, VersionSerializer, services.incident_close)

    @transition_schema("cancel", "Cancel (logged by mistake)", ReasonSerializer)
    @action(detail=True, methods=["post"], permission_classes=STAFF)
    def cancel(self, request, number=None):
        return self._transition(request, ReasonSerializer, services.incident_cancel)
