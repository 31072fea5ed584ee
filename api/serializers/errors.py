"""The error body every endpoint answers with (documented once, reused in the schema)."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated for convenience.")
    code = serializers.CharField(help_text="Stable machine-readable code.")
    message = serializers.CharField(help_text="What went wrong, written for a person.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per field in the request, when specific fields are at fault.",
    )


_EXAMPLES = {
    400: ("invalid", "title: This field is required.", {"title": ["This field is required."]}),
    401: ("not_authenticated", "Authentication credentials were not provided.", None),
    403: ("permission_denied", "Only responders and incident managers can do this.", None),
    404: ("not_found", "Not found, or you cannot see it.", None),
    409: ("invalid_transition", "INC0001001 cannot be resolved: it is closed.", None),
    412: ("precondition_failed", "The incident changed since the version in If-Match.", None),
    413: ("attachment_too_large", "“dump.log” is 20 MB; files may be at most 10 MB.", None),
    415: ("unsupported_media_type", 'Unsupported media type "text/plain" in request.', None),
    422: ("idempotency_key_reused", "This Idempotency-Key was already used.", None),
    429: ("throttled", "Request was throttled. Expected available in 12 seconds.", None),
    503: ("unavailable", "The service desk is temporarily unavailable; retry later.", None),
}


def error(status: int, description: str) -> OpenApiResponse:
    code, message, errors = _EXAMPLES[status]
    value = {"status": status, "code": code, "message": message}
    if errors:
        value["errors"] = errors
    return OpenApiResponse(
        ErrorSerializer,
        description=description,
        examples=[OpenApiExample(code, value=value, status_codes=[str(status)])],
    )


COMMON = {
    401: error(401, "No token, or an invalid, expired or revoked token."),
    429: error(429, "Too many requests for this token; see Retry-After."),
    503: error(503, "The database is unreachable; nothing was saved. See Retry-After."),
}
NOT_FOUND = {404: error(404, "No such incident, or the user cannot see it.")}
