"""What became of an inbound message."""

from django.db import models


class Outcome(models.TextChoices):
    CREATED = "created", "Incident created"
    COMMENTED = "commented", "Comment added"
    ACKNOWLEDGED = "acknowledged", "Page acknowledged"
    IGNORED = "ignored", "Ignored"
    REJECTED = "rejected", "Rejected"


OUTCOME_COLOURS = {
    Outcome.CREATED: "#15803d",
    Outcome.COMMENTED: "#2563eb",
    Outcome.ACKNOWLEDGED: "#7c3aed",
    Outcome.IGNORED: "#6b7280",
    Outcome.REJECTED: "#b91c1c",
}
