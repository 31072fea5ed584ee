"""The rating as the API shows it to staff, in the incident detail (`satisfaction`)."""

from rest_framework import serializers

from satisfaction.models import Rating
from satisfaction.selectors import rating_of


class RatingSerializer(serializers.ModelSerializer):
    """The reporter's rating: score 1 to 5, comment, when given and last changed."""

    satisfied = serializers.BooleanField(read_only=True, help_text="Score 4 or 5.")

    class Meta:
        model = Rating
        fields = ["score", "satisfied", "comment", "created_at", "updated_at"]
        read_only_fields = fields


def satisfaction_of(incident) -> dict | None:
    """The incident's rating for the API, or None when its reporter gave none."""
    rating = rating_of(incident)
    return RatingSerializer(rating).data if rating else None
