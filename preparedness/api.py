"""The API of preparedness: an incident's checklist (`/incidents/{number}/tasks/`, a mixin
of the incident viewset) and the incident and message templates (read-only)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.permissions import WorksIncidents
from api.serializers.errors import COMMON, NOT_FOUND, error
from api.serializers.strict import StrictSerializer
from api.views.examples import NUMBER
from incidents.roles import can_work_incidents
from preparedness import selectors, services
from preparedness.models import IncidentTask, IncidentTemplate, MessageTemplate

TICK_PERMISSION = "preparedness.change_incidenttask"


class IncidentTaskSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    owner_team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    done_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    plan = serializers.StringRelatedField(read_only=True)
    template = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = IncidentTask
        fields = ["id", "position", "text", "owner", "owner_team", "done", "done_at", "done_by"]
        fields += ["plan", "template"]
        read_only_fields = fields


class TaskTickSerializer(StrictSerializer):
    id = serializers.IntegerField(min_value=1, help_text="The task's id, from the list.")
    done = serializers.BooleanField(help_text="true to tick it, false to untick it.")


class TaskActions:
    """`GET /incidents/{number}/tasks/` and `PATCH` to tick or untick one task. Staff
    only; an incident the user cannot see is a 404 like everywhere else."""

    @extend_schema(
        methods=["GET"],
        summary="List checklist tasks",
        description="The incident's checklist (from its response plan or template), in order.",
        parameters=[NUMBER],
        responses={
            200: IncidentTaskSerializer(many=True),
            403: error(403, "End users do not see checklists."),
            **NOT_FOUND,
            **COMMON,
        },
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Tick or untick a checklist task",
        description="Send the task `id` and `done`. The tick is recorded in the task's "
        "history and on the incident's timeline.",
        parameters=[NUMBER],
        request=TaskTickSerializer,
        responses={
            200: IncidentTaskSerializer,
            400: error(400, "Missing or invalid fields."),
            403: error(403, "End users cannot tick tasks."),
            **NOT_FOUND,
            **COMMON,
        },
    )
    @action(
        detail=True,
        methods=["get", "patch"],
        permission_classes=[IsAuthenticated, WorksIncidents],
        filter_backends=[],
        pagination_class=None,
    )
    def tasks(self, request, number=None):
        incident = self.get_object()
        if request.method == "GET":
            tasks = selectors.tasks_for_incident(incident).select_related("plan", "template")
            return Response(IncidentTaskSerializer(tasks, many=True).data)
        if not request.user.has_perm(TICK_PERMISSION):
            raise PermissionDenied(_("You may not tick checklist tasks."))
        serializer = TaskTickSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = IncidentTask.objects.filter(
            pk=serializer.validated_data["id"], incident=incident
        ).first()
        if task is None:
            raise NotFound(_("No such task on this incident."))
        task = services.task_set_done(
            task=task, actor=request.user, done=serializer.validated_data["done"]
        )
        return Response(IncidentTaskSerializer(task).data)


class IncidentTemplateSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category = serializers.PrimaryKeyRelatedField(read_only=True)
    steps = serializers.SlugRelatedField(slug_field="text", many=True, read_only=True)

    class Meta:
        model = IncidentTemplate
        fields = ["slug", "name", "title", "description", "service", "category", "impact"]
        fields += ["urgency", "public", "steps"]
        read_only_fields = fields


class MessageTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = MessageTemplate
        fields = ["slug", "name", "stage", "subject", "body"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="List incident templates",
        description="Active templates to name as `template` when reporting; end users see "
        "the public ones.",
        responses={200: IncidentTemplateSerializer(many=True), **COMMON},
    )
)
class IncidentTemplateViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = IncidentTemplateSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        staff = can_work_incidents(self.request.user)
        templates = selectors.active_templates(public_only=not staff)
        return templates.select_related("service").prefetch_related("steps")


@extend_schema_view(
    list=extend_schema(
        summary="List message templates",
        description="Staff only. Wording for public updates with placeholders {service}, "
        "{impact}, {priority}, {number}, {title} and {next_update}.",
        responses={200: MessageTemplateSerializer(many=True), **COMMON},
    )
)
class MessageTemplateViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MessageTemplateSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        if not can_work_incidents(self.request.user):
            return MessageTemplate.objects.none()
        return selectors.active_message_templates()
