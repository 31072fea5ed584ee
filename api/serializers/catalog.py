"""Read-only views of the service catalogue and the caller's own account."""

from rest_framework import serializers

from incidents.models import Category, HoldReason, ResolutionCode, Service, Team
from incidents.roles import can_work_incidents, is_manager


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["slug", "name", "email"]


class ServiceSerializer(serializers.ModelSerializer):
    owner_team = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Service
        fields = ["slug", "name", "description", "owner_team", "active"]


class CategorySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Category
        fields = ["id", "name", "parent", "full_name", "active"]


class HoldReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = HoldReason
        fields = ["code", "name", "pauses_sla"]


class ResolutionCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResolutionCode
        fields = ["code", "name"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(
        choices=["end_user", "responder", "manager"],
        help_text="end_user sees only incidents they reported or watch.",
    )
    teams = serializers.ListField(child=serializers.CharField(), help_text="Team slugs.")

    def to_representation(self, user):
        role = "manager" if is_manager(user) else "responder" if can_work_incidents(user) else None
        return {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": role or "end_user",
            "teams": [team.slug for team in user.teams.all()],
        }
