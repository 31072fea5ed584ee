"""/api/v1/escalation-policies/: managers write a team's policy; staff read it.

A policy is written whole: `steps` in order, each with `delay_minutes` and `targets`
(`{"type": "schedule", "id": 1}`, `{"type": "user", "username": "..."}`,
`{"type": "team_lead"}`, `{"type": "incident_managers"}`). Writing a policy for a team that
has one replaces its steps.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from api.parsers import JSONParser
from api.permissions import STAFF_ONLY
from api.serializers.errors import COMMON, error
from incidents.choices import Priority
from incidents.models import Team
from incidents.roles import can_work_incidents, is_manager
from paging.models import EscalationPolicy, EscalationStep

TARGET_TYPES = ["schedule", "user", "team_lead", "incident_managers"]


class ManagersWriteStaffRead(permissions.BasePermission):
    message = "Only incident managers change escalation policies; responders may read them."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return can_work_incidents(request.user)
        return is_manager(request.user)


class TargetSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=TARGET_TYPES)
    id = serializers.IntegerField(required=False, help_text="The schedule, for type schedule.")
    username = serializers.CharField(required=False, help_text="The person, for type user.")

    def validate(self, data):
        from oncall.models import Schedule

        if data["type"] == "schedule":
            schedule = (
                Schedule.objects.filter(pk=data.get("id")).first() if data.get("id") else None
            )
            if schedule is None:
                raise serializers.ValidationError({"id": "Name an existing schedule by its id."})
            data["schedule"] = schedule
        if data["type"] == "user":
            user = (
                get_user_model()
                .objects.filter(username=data.get("username") or "", is_active=True)
                .first()
            )
            if user is None or not can_work_incidents(user):
                raise serializers.ValidationError(
                    {"username": "Name an active responder or incident manager by username."}
                )
            data["user"] = user
        return data


class StepSerializer(serializers.Serializer):
    delay_minutes = serializers.IntegerField(min_value=1, max_value=1440)
    targets = TargetSerializer(many=True, allow_empty=False)


class EscalationPolicySerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    page_priorities = serializers.ListField(
        child=serializers.ChoiceField(choices=Priority.values), required=False
    )
    repeat = serializers.IntegerField(min_value=0, max_value=10, required=False)
    steps = StepSerializer(many=True, allow_empty=False, write_only=True)

    class Meta:
        model = EscalationPolicy
        fields = ["id", "team", "name", "repeat", "page_priorities", "active", "steps"]

    def to_representation(self, policy):
        data = super().to_representation(policy)
        data["steps"] = [_step_data(step) for step in policy.steps.all()]
        return data

    def validate_team(self, team):
        taken = EscalationPolicy.objects.filter(team=team)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(
                f"{team.name} already has an escalation policy: change that one."
            )
        return team

    @transaction.atomic
    def create(self, validated_data):
        steps = validated_data.pop("steps")
        policy = EscalationPolicy.objects.create(**validated_data)
        _write_steps(policy, steps)
        return policy

    @transaction.atomic
    def update(self, policy, validated_data):
        steps = validated_data.pop("steps", None)
        policy = super().update(policy, validated_data)
        if steps is not None:
            policy.steps.all().delete()
            _write_steps(policy, steps)
        return policy


def _write_steps(policy: EscalationPolicy, steps: list[dict]) -> None:
    for position, data in enumerate(steps):
        step = EscalationStep.objects.create(
            policy=policy, position=position, delay_minutes=data["delay_minutes"]
        )
        kinds = {target["type"] for target in data["targets"]}
        step.team_lead = "team_lead" in kinds
        step.incident_managers = "incident_managers" in kinds
        step.save(update_fields=["team_lead", "incident_managers"])
        step.schedules.set([t["schedule"] for t in data["targets"] if t["type"] == "schedule"])
        step.users.set([t["user"] for t in data["targets"] if t["type"] == "user"])


def _step_data(step: EscalationStep) -> dict:
    targets = [{"type": "schedule", "id": s.pk, "name": s.name} for s in step.schedules.all()]
    targets += [{"type": "user", "username": u.get_username()} for u in step.users.all()]
    targets += [{"type": "team_lead"}] if step.team_lead else []
    targets += [{"type": "incident_managers"}] if step.incident_managers else []
    return {"delay_minutes": step.delay_minutes, "targets": targets}


WRITE = {400: error(400, "Invalid fields."), 403: error(403, STAFF_ONLY), **COMMON}
MISSING = {404: error(404, "No such escalation policy.")}


@extend_schema_view(
    list=extend_schema(
        summary="List escalation policies",
        responses={200: EscalationPolicySerializer(many=True), **COMMON},
    ),
    create=extend_schema(
        summary="Create a team's escalation policy",
        responses={201: EscalationPolicySerializer, **WRITE},
    ),
    retrieve=extend_schema(
        summary="Read an escalation policy",
        responses={200: EscalationPolicySerializer, **MISSING, **COMMON},
    ),
    update=extend_schema(
        summary="Replace an escalation policy",
        responses={200: EscalationPolicySerializer, **MISSING, **WRITE},
    ),
    destroy=extend_schema(
        summary="Remove an escalation policy", responses={204: None, **MISSING, **WRITE}
    ),
)
class EscalationPolicyViewSet(viewsets.ModelViewSet):
    """Escalation policies: managers write them, responders read them."""

    queryset = EscalationPolicy.objects.select_related("team").prefetch_related(
        "steps__schedules", "steps__users"
    )
    serializer_class = EscalationPolicySerializer
    permission_classes = [permissions.IsAuthenticated, ManagersWriteStaffRead]
    parser_classes = [JSONParser]
    lookup_value_regex = "[^/]+"  # anything reaches the view, which answers a JSON 404
    http_method_names = ["get", "post", "put", "delete", "head", "options"]
    pagination_class = None
    filter_backends: list = []
