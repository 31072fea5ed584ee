"""Comments, attachments and the history timeline of one incident."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.strict import StrictSerializer
from incidents.models import Attachment, Comment


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "public", "channel", "created_at"]
        read_only_fields = fields


class CommentCreateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=20000)
    public = serializers.BooleanField(
        default=False,
        help_text="Public updates reach the reporter; otherwise a work note (staff only). "
        "End users' comments are always public.",
    )


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "name",
            "content_type",
            "size",
            "public",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, attachment) -> str:
        path = reverse(
            "api:incident-attachment-download",
            kwargs={"number": self.context["number"], "attachment_id": attachment.pk},
        )
        return self.context["request"].build_absolute_uri(path)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, max_length=200)
    public = serializers.ChoiceField(
        choices=["true", "false"],
        default="true",
        help_text='Form fields are text: "false" makes an internal file (staff only; '
        "end users' files are always public).",
    )


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField(
        help_text="history, comment, event, routing, or another source's kind."
    )
    title = serializers.CharField()
    actor = serializers.CharField(allow_blank=True)
    body = serializers.CharField(allow_blank=True)
    public = serializers.BooleanField()
    changes = serializers.SerializerMethodField()

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, entry):
        return [{"field": f, "old": old, "new": new} for f, old, new in entry.changes]
