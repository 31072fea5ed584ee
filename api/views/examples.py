"""Examples shown in the OpenAPI schema and Swagger UI."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter

NUMBER = OpenApiParameter(
    "number",
    str,
    OpenApiParameter.PATH,
    description="The incident number.",
    examples=[OpenApiExample("An incident", value="INC0001001")],
)

CREATE_EXAMPLE = OpenApiExample(
    "Report a VPN outage",
    value={
        "title": "VPN drops every few minutes",
        "description": "Since 9:00 the VPN client disconnects every 2-3 minutes.",
        "impact": "medium",
        "urgency": "high",
        "service": "vpn",
    },
    request_only=True,
)

INCIDENT_EXAMPLE = OpenApiExample(
    "An acknowledged incident",
    value={
        "number": "INC0001001",
        "title": "VPN drops every few minutes",
        "description": "Since 9:00 the VPN client disconnects every 2-3 minutes.",
        "status": "acknowledged",
        "impact": "medium",
        "urgency": "high",
        "priority": "P2",
        "service": "vpn",
        "category": 4,
        "team": "network",
        "assignee": "agent",
        "reporter": "alice",
        "channel": "api",
        "major": False,
        "opened_at": "2026-03-02T09:04:11Z",
        "acknowledged_at": "2026-03-02T09:12:40Z",
        "resolved_at": None,
        "closed_at": None,
        "response_due": "2026-03-02T09:34:11Z",
        "resolution_due": "2026-03-02T17:04:11Z",
        "sla_breached": False,
        "version": 3,
        "url": "https://itsm.example.com/api/v1/incidents/INC0001001/",
    },
    response_only=True,
)

# One definition each, used by the schema and by the views that check the headers.
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,255}$"
IF_MATCH_PATTERN = r'^(\*|(W/)?"?[0-9]{1,10}"?)$'

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN, "maxLength": 255},
    OpenApiParameter.HEADER,
    description="Any unique string (a UUID) per intended incident: retrying with the same key "
    "and body returns the first result instead of creating a second incident (24 hours).",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": IF_MATCH_PATTERN},
    OpenApiParameter.HEADER,
    description='The ETag of the version you read, e.g. "3"; instead of `version` in the body.',
)
