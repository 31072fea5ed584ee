"""JSON input must already have the types the schema promises.

DRF coerces generously (0 becomes False, 5 becomes "5", "3" becomes 3). Integrations are
better served by a clear 400 than by a guess, and the published schema stays true: what
it calls a boolean is a JSON boolean.
"""

from django.http import QueryDict
from rest_framework import relations, serializers

_EXPECTED = [
    (serializers.BooleanField, bool, "a boolean (true or false)"),
    (serializers.IntegerField, int, "an integer"),
    (relations.PrimaryKeyRelatedField, int, "an integer id"),
    (serializers.CharField, str, "a string"),
    (serializers.ChoiceField, str, "a string"),
    (relations.SlugRelatedField, str, "a string"),
    (serializers.ListField, list, "a list"),
]


def type_error(field, value) -> str | None:
    if value is None:
        return None  # allow_null decides
    if value == "" and isinstance(field, relations.RelatedField):
        return "Send null to clear it."
    for field_class, python_type, words in _EXPECTED:
        if isinstance(field, field_class):
            wrong_bool = python_type is int and isinstance(value, bool)
            if wrong_bool or not isinstance(value, python_type):
                return f"Expected {words}."
            return None
    return None


class StrictSerializer(serializers.Serializer):
    """A Serializer that refuses JSON values of the wrong type before DRF coerces them."""

    def to_internal_value(self, data):
        if isinstance(data, dict) and not isinstance(data, QueryDict):
            errors = {
                name: [message]
                for name, field in self.fields.items()
                if not field.read_only
                and name in data
                and (message := type_error(field, data[name]))
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass
