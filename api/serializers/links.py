"""Bodies of the requests that relate incidents to each other."""

from rest_framework import serializers

from api.serializers.strict import StrictSerializer


class LinkChildSerializer(StrictSerializer):
    child = serializers.RegexField(
        r"^[A-Za-z0-9-]{1,20}$",
        help_text="Number of the incident that becomes part of this one (INC0001002).",
        error_messages={"invalid": "Give an incident number, e.g. INC0001002."},
    )
