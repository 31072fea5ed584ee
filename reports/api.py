"""GET /api/v1/metrics/: the reports page's figures for scripts and dashboards.

Parameters: `from`, `to` (dates, inclusive, default the last 30 days), `group_by`
(service, team, priority, category or channel), `period` (day, week, month), `team` and
`service` (ids). Durations are in seconds, rates in percent. Responders and managers only.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import BearerTokenAuthentication
from api.serializers.errors import COMMON, error
from incidents.roles import can_work_incidents
from paging.selectors import engagement_figures
from reports.forms import MetricsQueryForm
from reports.metrics import DIMENSIONS, PERIODS, by_dimension, by_period, summary
from satisfaction.selectors import satisfaction_figures

# Form field names as the caller knows them.
PARAMETER_NAMES = {"start": "from", "end": "to", "__all__": "non_field_errors"}


class WorksIncidents(BasePermission):
    message = "Only responders and incident managers can read service figures."

    def has_permission(self, request, view):
        return can_work_incidents(request.user)


def _param(name: str, description: str, enum=None, kind=OpenApiTypes.STR):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, enum=enum)


_PARAMETERS = ("from", "to", "group_by", "period", "team", "service")


class MetricsView(APIView):
    """Opened and resolved counts, MTTA and MTTR (mean, median), SLA compliance and the
    reopen rate for a date range, overall and per group or per period."""

    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, WorksIncidents]

    @extend_schema(
        parameters=[
            _param(
                "from",
                "First day (YYYY-MM-DD), default 29 days before `to`.",
                kind=OpenApiTypes.DATE,
            ),
            _param("to", "Last day included (YYYY-MM-DD), default today.", kind=OpenApiTypes.DATE),
            _param("group_by", "Split the figures by this.", enum=list(DIMENSIONS)),
            _param(
                "period",
                "Split the figures over time (default by range length).",
                enum=list(PERIODS),
            ),
            _param("team", "Only this team (id).", kind=OpenApiTypes.INT),
            _param("service", "Only this service (id).", kind=OpenApiTypes.INT),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            400: error(400, "A parameter is not valid; `errors` names it."),
            403: error(403, "Only responders and incident managers see metrics."),
            **COMMON,
        },
    )
    def get(self, request):
        params = request.query_params
        blank = [name for name in _PARAMETERS if name in params and not params[name].strip()]
        if blank:  # "?to=" is a mistake, not a request for the default
            raise ValidationError({name: ["Give a value or leave it out."] for name in blank})
        form = MetricsQueryForm(params)
        if not form.is_valid():
            raise ValidationError(
                {PARAMETER_NAMES.get(key, key): value for key, value in form.errors.items()}
            )
        data, scope = form.cleaned_data, form.scope(request.user)
        body = {
            "from": data["start"].isoformat(),
            "to": data["end"].isoformat(),
            "team": scope.team,
            "service": scope.service,
            "units": {"durations": "seconds", "rates": "percent"},
            "summary": summary(scope).as_dict(),
            "engagement": engagement_figures(scope),
            "satisfaction": satisfaction_figures(scope),
        }
        if data.get("group_by"):
            body["group_by"] = data["group_by"]
            body["groups"] = [f.as_dict() for f in by_dimension(scope, data["group_by"])]
        if "period" in request.query_params or not data.get("group_by"):
            body["period"] = data["period"]
            body["periods"] = [f.as_dict() for f in by_period(scope, data["period"])]
        return Response(body)
