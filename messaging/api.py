"""/api/v1/contact-methods/ (each responder's own) and /api/v1/team-channels/ (managers).

URLs and targets are write-only: responses carry their masked form only.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated

from api.parsers import JSONParser
from api.permissions import STAFF_ONLY, IsManager
from api.serializers.errors import COMMON, error
from api.serializers.strict import StrictModelSerializer
from incidents.choices import Priority
from incidents.models import Team
from incidents.roles import can_work_incidents
from messaging import apprise_urls
from messaging.forms import validate_target
from messaging.models import ContactKind, ContactMethod, TeamChannel
from messaging.services import contact_method_save, team_channel_save


def _django_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.messages)


class ContactMethodSerializer(StrictModelSerializer):
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    target = serializers.CharField(
        write_only=True,
        max_length=apprise_urls.MAX_LENGTH,
        help_text="An e-mail address, or an Apprise URL for push, sms and chat.",
    )
    target_masked = serializers.SerializerMethodField(help_text="What may be shown of it.")

    class Meta:
        model = ContactMethod
        fields = ["id", "kind", "label", "target", "target_masked", "active", "created_at"]
        read_only_fields = ["id", "created_at"]

    def get_target_masked(self, method) -> str:
        if method.kind == ContactKind.EMAIL:
            return apprise_urls.mask_email(method.target)
        return apprise_urls.mask(method.target)

    def validate(self, attrs):
        try:
            attrs["target"] = validate_target(attrs["kind"], attrs["target"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"target": exc.messages}) from exc
        return attrs

    def create(self, validated_data):
        user = self.context["request"].user
        return contact_method_save(method=ContactMethod(**validated_data), user=user)


class TeamChannelSerializer(StrictModelSerializer):
    team = serializers.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    url = serializers.CharField(
        write_only=True,
        max_length=apprise_urls.MAX_LENGTH,
        help_text="Apprise URL (slack://…, workflows://…, mmosts://…, ntfys://…, jsons://…). "
        "Required when creating; absent on a change, the stored one is kept.",
    )
    url_masked = serializers.SerializerMethodField(help_text="What may be shown of it.")
    min_priority = serializers.ChoiceField(choices=Priority.choices, required=False)

    class Meta:
        model = TeamChannel
        fields = [
            "id",
            "team",
            "name",
            "url",
            "url_masked",
            "min_priority",
            "on_created",
            "on_escalated",
            "on_major_declared",
            "on_resolved",
            "active",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators: list = []  # (team, name) is checked in validate, with a field message

    def get_url_masked(self, channel) -> str:
        return apprise_urls.mask(channel.url)

    def validate_url(self, value: str) -> str:
        try:
            return apprise_urls.validate_url(value)
        except DjangoValidationError as exc:
            raise _django_errors(exc) from exc

    def validate(self, attrs):
        team = attrs.get("team", getattr(self.instance, "team", None))
        name = attrs.get("name", getattr(self.instance, "name", None))
        taken = TeamChannel.objects.filter(team=team, name=name)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if team is not None and taken.exists():
            raise serializers.ValidationError({"name": ["This team has a channel by that name."]})
        return attrs

    def create(self, validated_data):
        url = validated_data.pop("url", None)
        channel = TeamChannel(**validated_data)
        return team_channel_save(channel=channel, actor=self.context["request"].user, url=url)

    def update(self, instance, validated_data):
        url = validated_data.pop("url", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return team_channel_save(channel=instance, actor=self.context["request"].user, url=url)


class WorksIncidents(BasePermission):
    message = STAFF_ONLY

    def has_permission(self, request, view):
        return can_work_incidents(request.user)


STAFF = {403: error(403, STAFF_ONLY), **COMMON}
MANAGERS_ONLY = {403: error(403, "Only incident managers manage team channels."), **COMMON}
MISSING = {404: error(404, "Not found.")}
INVALID = {400: error(400, "Invalid fields."), 415: error(415, "The body is not JSON.")}


@extend_schema_view(
    list=extend_schema(
        summary="List my contact methods",
        responses={200: ContactMethodSerializer(many=True), **STAFF},
    ),
    create=extend_schema(
        summary="Add a contact method", responses={201: ContactMethodSerializer, **INVALID, **STAFF}
    ),
    retrieve=extend_schema(
        summary="Read a contact method",
        responses={200: ContactMethodSerializer, **MISSING, **STAFF},
    ),
    destroy=extend_schema(
        summary="Remove a contact method", responses={204: None, **MISSING, **STAFF}
    ),
)
class ContactMethodViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The requesting responder's own ways to be reached (others' rows answer 404)."""

    serializer_class = ContactMethodSerializer
    permission_classes = [IsAuthenticated, WorksIncidents]
    parser_classes = [JSONParser]
    lookup_value_regex = "[^/]+"
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return ContactMethod.objects.filter(user=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List team channels",
        responses={200: TeamChannelSerializer(many=True), **MANAGERS_ONLY},
    ),
    create=extend_schema(
        summary="Add a team channel",
        responses={201: TeamChannelSerializer, **INVALID, **MANAGERS_ONLY},
    ),
    retrieve=extend_schema(
        summary="Read a team channel",
        responses={200: TeamChannelSerializer, **MISSING, **MANAGERS_ONLY},
    ),
    partial_update=extend_schema(
        summary="Change a team channel",
        responses={200: TeamChannelSerializer, **INVALID, **MISSING, **MANAGERS_ONLY},
    ),
    destroy=extend_schema(
        summary="Remove a team channel", responses={204: None, **MISSING, **MANAGERS_ONLY}
    ),
)
class TeamChannelViewSet(viewsets.ModelViewSet):
    """Team chat rooms and push topics (incident managers only)."""

    queryset = TeamChannel.objects.select_related("team")
    serializer_class = TeamChannelSerializer
    permission_classes = [IsAuthenticated, IsManager]
    parser_classes = [JSONParser]
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    pagination_class = None
    filter_backends: list = []
