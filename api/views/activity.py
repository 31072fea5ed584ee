"""Sub-resources of one incident: comments, attachments (upload and download), history."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.exceptions import PayloadTooLarge
from api.serializers.activity import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    TimelineEntrySerializer,
)
from api.serializers.errors import COMMON, NOT_FOUND, error
from api.views.examples import NUMBER
from incidents import services
from incidents.choices import Channel
from incidents.downloads import AttachmentMissing, attachment_response
from incidents.models import Attachment, Comment
from incidents.selectors import incident_timeline
from incidents.visibility import sees_work_notes

# Room for the multipart envelope around the largest accepted file.
MULTIPART_OVERHEAD = 64 * 1024
SUB_RESOURCE = {"filter_backends": [], "pagination_class": None}


class AnyAccept(BaseContentNegotiation):
    """File downloads answer whatever the client accepts; errors stay JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ActivityActions:
    """What of an incident's activity each user sees is `incidents.visibility`'s rule
    (end users: public comments and files only)."""

    @extend_schema(
        methods=["GET"],
        summary="List comments",
        description="Public updates and, for staff, work notes; oldest first.",
        parameters=[NUMBER],
        responses={200: CommentSerializer(many=True), **NOT_FOUND, **COMMON},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a comment",
        description="A public update (`public: true`) or a work note. End users' comments are "
        "always public, and not possible once the incident is closed.",
        parameters=[NUMBER],
        request=CommentCreateSerializer,
        responses={
            201: CommentSerializer,
            400: error(400, "Empty body."),
            409: error(409, "Closed incidents take no comments from end users."),
            415: error(415, "The body is not JSON."),
            **NOT_FOUND,
            **COMMON,
        },
    )
    @action(detail=True, methods=["get", "post"], **SUB_RESOURCE)
    def comments(self, request, number=None):
        incident = self.get_object()
        if request.method == "POST":
            serializer = CommentCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            comment = services.incident_comment(
                incident=incident, author=request.user, via=Channel.API, **serializer.validated_data
            )
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        comments = Comment.objects.visible_to(request.user).filter(incident=incident)
        comments = comments.select_related("author")
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(
        summary="History timeline",
        description="Changes, comments and SLA events in time order. Staff get everything; "
        "end users get the public entries only (public updates and what other channels "
        "mark public), never work notes or field changes.",
        parameters=[NUMBER],
        responses={200: TimelineEntrySerializer(many=True), **NOT_FOUND, **COMMON},
    )
    @action(detail=True, methods=["get"], **SUB_RESOURCE)
    def history(self, request, number=None):
        entries = incident_timeline(self.get_object())
        if not sees_work_notes(request.user):
            entries = [entry for entry in entries if entry.public]
        return Response(TimelineEntrySerializer(entries, many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="List attachments",
        parameters=[NUMBER],
        responses={200: AttachmentSerializer(many=True), **NOT_FOUND, **COMMON},
    )
    @extend_schema(
        methods=["POST"],
        summary="Upload an attachment",
        description="multipart/form-data with `file`. Accepted: images, PDF, office files, "
        "zip, text and logs, up to ITSM_ATTACHMENT_MAX_BYTES (10 MB by default); the "
        "content must match the extension.",
        parameters=[NUMBER],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer(many=True),
            400: error(400, "No file, an empty file, or a type that is not accepted."),
            413: error(413, "The file is larger than allowed."),
            415: error(415, "Not multipart/form-data."),
            **NOT_FOUND,
            **COMMON,
        },
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser], **SUB_RESOURCE)
    def attachments(self, request, number=None):
        incident = self.get_object()
        context = {"request": request, "number": incident.number}
        if request.method == "POST":
            return self._upload(request, incident, context)
        attachments = Attachment.objects.visible_to(request.user).filter(incident=incident)
        attachments = attachments.select_related("uploaded_by")
        return Response(AttachmentSerializer(attachments, many=True, context=context).data)

    def _upload(self, request, incident, context):
        length = request.headers.get("Content-Length", "")
        limit = settings.ITSM_ATTACHMENT_MAX_BYTES
        if length.isdigit() and int(length) > limit + MULTIPART_OVERHEAD:
            megabytes = limit // (1024 * 1024)
            raise PayloadTooLarge(_("Files may be at most %(size)s MB.") % {"size": megabytes})
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachments = services.incident_attach(
            incident=incident,
            actor=request.user,
            files=[serializer.validated_data["file"]],
            public=serializer.validated_data["public"] == "true",
            via=Channel.API,
        )
        data = AttachmentSerializer(attachments, many=True, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="incidents_attachment_download",
        summary="Download an attachment",
        description="The file itself, always as a download (Content-Disposition: attachment), "
        "with the content type its upload was validated as (e.g. image/png, application/pdf).",
        parameters=[
            NUMBER,
            OpenApiParameter(
                "attachment_id", int, OpenApiParameter.PATH, description="From /attachments/."
            ),
        ],
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY),
            **NOT_FOUND,
            **COMMON,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[^/]+)/download",
        url_name="attachment-download",
        content_negotiation_class=AnyAccept,
        **SUB_RESOURCE,
    )
    def download(self, request, number=None, attachment_id=None):
        incident = self.get_object()
        attachments = Attachment.objects.visible_to(request.user).filter(incident=incident)
        valid_id = attachment_id.isascii() and attachment_id.isdigit() and len(attachment_id) < 19
        attachment = attachments.filter(pk=attachment_id).first() if valid_id else None
        if attachment is None:
            raise NotFound(_("No such attachment on this incident."))
        try:
            return attachment_response(attachment)
        except AttachmentMissing:
            raise NotFound(_("This file is no longer available.")) from None
