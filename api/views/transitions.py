"""Workflow actions on one incident: POST /incidents/{number}/<action>/.

The endpoints are built from `incidents.workflow`: one per lifecycle step, plus assignment,
so an action added to the workflow gets its endpoint here (and the import fails until it
names its input and who may call it)."""

from collections.abc import Callable
from dataclasses import dataclass

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
from incidents import services, workflow
from incidents.choices import Channel

STAFF = [IsAuthenticated, WorksIncidents]
CLOSERS = [IsAuthenticated, MayClose]
REOPENERS = [IsAuthenticated, MayReopen]


@dataclass(frozen=True)
class Endpoint:
    """What the API adds to a workflow action: its summary, input, service and callers."""

    summary: str
    serializer: type
    service: Callable
    permissions: tuple = tuple(STAFF)
    who: str = "Staff only."


ENDPOINTS = {
    "acknowledge": Endpoint("Acknowledge", VersionSerializer, services.incident_acknowledge),
    "start": Endpoint("Start work", VersionSerializer, services.incident_start),
    "assign": Endpoint(
        "Assign to a team and/or a responder", AssignSerializer, services.incident_assign
    ),
    "hold": Endpoint("Put on hold", HoldSerializer, services.incident_hold),
    "resume": Endpoint("Resume after a hold", VersionSerializer, services.incident_resume),
    "resolve": Endpoint("Resolve", ResolveSerializer, services.incident_resolve),
    "reopen": Endpoint(
        "Reopen a resolved incident",
        ReasonSerializer,
        services.incident_reopen,
        tuple(REOPENERS),
        "The reporter, or staff; within the reopen window after resolution.",
    ),
    "close": Endpoint(
        "Close (confirm the fix)",
        VersionSerializer,
        services.incident_close,
        tuple(CLOSERS),
        "The reporter, or staff; only when resolved.",
    ),
    "cancel": Endpoint("Cancel (logged by mistake)", ReasonSerializer, services.incident_cancel),
}
# Every lifecycle step of the workflow is an endpoint; assignment is the one extra.
if set(ENDPOINTS) != {step.name for step in workflow.STEPS} | {"assign"}:
    raise RuntimeError("api/views/transitions.py: ENDPOINTS differ from incidents.workflow")


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


def _endpoint(name: str, spec: Endpoint):
    def view(self, request, number=None):
        return self._transition(request, spec.serializer, spec.service)

    view.__name__ = view.__qualname__ = name
    view.__doc__ = spec.summary
    routed = action(detail=True, methods=["post"], permission_classes=list(spec.permissions))
    return transition_schema(name, spec.summary, spec.serializer, spec.who)(routed(view))


for _name, _spec in ENDPOINTS.items():
    setattr(TransitionActions, _name, _endpoint(_name, _spec))
