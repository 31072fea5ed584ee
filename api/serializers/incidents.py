"""Incident representation and the input of create, edit and each transition."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from api.serializers.built_once import FieldsMadeOnce, ModelFieldsMadeOnce
from api.serializers.strict import StrictSerializer
from incidents.catalog_cache import active_services
from incidents.choices import Level, Priority
from incidents.models import Category, Incident, Service, Team
from incidents.roles import can_work_incidents
from preparedness.api_fields import IncidentTemplateField

STAFF_CREATE_FIELDS = ("reporter", "priority", "team", "assignee", "major", "confidential")
CONFIDENTIAL_HELP = (
    "Staff only. Seen only by its reporter, its assignee, the security team and incident managers."
)


class ActiveServiceField(serializers.SlugRelatedField):
    """A service slug, found in the cached active services without a query; anything
    else (unknown, inactive, not a string) gets the usual lookup and its message."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            found = active_services().by_slug.get(data)
            if found is not None:
                return found
        return super().to_internal_value(data)


def _users():
    return get_user_model().objects.filter(is_active=True)


class IncidentSerializer(ModelFieldsMadeOnce):
    """An incident as integrations see it. Related records appear by their natural key
    (service and team slug, usernames); `category` is the id from /categories/."""

    service = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    reporter = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    category = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    sla_breached = serializers.BooleanField(
        source="sla_breached_now",
        read_only=True,
        help_text="A response or resolution target was missed (or is being missed now).",
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back with PATCH (or as If-Match) to edit safely."
    )
    url = serializers.HyperlinkedIdentityField(
        view_name="api:incident-detail", lookup_field="number"
    )

    class Meta:
        model = Incident
        fields = [
            "number",
            "title",
            "description",
            "status",
            "impact",
            "urgency",
            "priority",
            "service",
            "category",
            "team",
            "assignee",
            "reporter",
            "channel",
            "major",
            "confidential",
            "practice",
            "opened_at",
            "acknowledged_at",
            "resolved_at",
            "closed_at",
            "response_due",
            "resolution_due",
            "sla_breached",
            "version",
            "url",
        ]
        read_only_fields = fields


class _Classification(StrictSerializer, FieldsMadeOnce):
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    impact = serializers.ChoiceField(choices=Level.choices, required=False)
    urgency = serializers.ChoiceField(choices=Level.choices, required=False)
    priority = serializers.ChoiceField(
        choices=Priority.choices,
        required=False,
        help_text="Staff only. Normally derived from impact and urgency.",
    )
    service = ActiveServiceField(
        slug_field="slug",
        queryset=Service.objects.filter(active=True),
        required=False,
        allow_null=True,
        help_text="Service slug, see /services/.",
    )
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(active=True),
        required=False,
        allow_null=True,
        help_text="Category id, see /categories/.",
    )


class IncidentCreateSerializer(_Classification):
    """Anyone may report; the fields marked staff only are refused for end users."""

    title = serializers.CharField(
        max_length=200, required=False, help_text="Required unless a template gives it."
    )
    template = IncidentTemplateField(required=False)
    team = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Team.objects.all(),
        required=False,
        allow_null=True,
        help_text="Staff only. Team slug; defaults to the service's owner team.",
    )
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=_users(),
        required=False,
        allow_null=True,
        help_text="Staff only. Username of a responder.",
    )
    reporter = serializers.SlugRelatedField(
        slug_field="username",
        queryset=_users(),
        required=False,
        help_text="Staff only. Report on behalf of this user (default: the token's owner).",
    )
    major = serializers.BooleanField(required=False, help_text="Staff only.")
    confidential = serializers.BooleanField(required=False, help_text=CONFIDENTIAL_HELP)

    def validate(self, attrs):
        user = self.context["request"].user
        if not can_work_incidents(user):
            refused = {
                field: ["Only responders and incident managers can set this."]
                for field in STAFF_CREATE_FIELDS
                if field in attrs
            }
            if refused:
                raise serializers.ValidationError(refused)
        if not attrs.get("title") and not attrs.get("template"):
            raise serializers.ValidationError({"title": ["This field is required."]})
        return attrs


class IncidentUpdateSerializer(_Classification):
    """PATCH: any subset of the editable fields, with the version last read."""

    title = serializers.CharField(max_length=200, required=False)
    confidential = serializers.BooleanField(required=False, help_text=CONFIDENTIAL_HELP)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version you last read; or send it as If-Match.",
    )


class VersionSerializer(StrictSerializer):
    """Transitions accept the version last read (or If-Match); without it they apply to
    whatever the incident is now."""

    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class AssignSerializer(VersionSerializer):
    team = serializers.SlugRelatedField(
        slug_field="slug", queryset=Team.objects.all(), required=False, allow_null=True
    )
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=_users(), required=False, allow_null=True
    )


class HoldSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=40, help_text="Hold reason code, see /hold-reasons/.")


class ResolveSerializer(VersionSerializer):
    resolution_code = serializers.CharField(
        max_length=40, help_text="Resolution code, see /resolution-codes/."
    )
    resolution_notes = serializers.CharField(max_length=20000)


class ReasonSerializer(VersionSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
