"""Relations between incidents: POST /incidents/{number}/link-child/."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated

from api.permissions import WorksIncidents
from api.serializers.errors import COMMON, NOT_FOUND, error
from api.serializers.incidents import IncidentSerializer
from api.serializers.links import LinkChildSerializer
from api.views.examples import NUMBER
from incidents import services
from incidents.choices import Channel
from incidents.models import Incident
from incidents.numbers import number_typed


class LinkActions:
    """Make another incident part of this one (typically a major incident), so that
    whoever follows the child hears the major incident's news."""

    @extend_schema(
        operation_id="incidents_link_child",
        summary="Link a child incident",
        description="Staff only. The incident named in `child` becomes part of this one; its "
        "reporter and watchers are then told about this incident while it is major.",
        parameters=[NUMBER],
        request=LinkChildSerializer,
        responses={
            200: IncidentSerializer,
            400: error(400, "No such child, the incident itself, or a parent of its own."),
            403: error(403, "Only responders and incident managers can link incidents."),
            415: error(415, "The body is not JSON."),
            **NOT_FOUND,
            **COMMON,
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="link-child",
        permission_classes=[IsAuthenticated, WorksIncidents],
    )
    def link_child(self, request, number=None):
        parent = self.get_object()
        serializer = LinkChildSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        typed = serializer.validated_data["child"]
        visible = Incident.objects.visible_to(request.user)
        child = visible.filter(number=number_typed(typed) or typed).first()
        if child is None:
            raise ValidationError({"child": [f"There is no incident {typed}."]})
        services.incident_link_child(
            parent=parent, child=child, actor=request.user, via=Channel.API
        )
        return self.incident_response(parent.pk)
