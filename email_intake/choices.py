"""What became of an inbound message."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    CREATED = "created", _("Incident created")
    COMMENTED = "commented", _("Comment added")
    ACKNOWLEDGED = "acknowledged", _("Page acknowledged")
    IGNORED = "ignored", _("Ignored")
    REJECTED = "rejected", _("Rejected")


OUTCOME_COLOURS = {
    Outcome.CREATED: "#15803d",
    Outcome.COMMENTED: "#2563eb",
    Outcome.ACKNOWLEDGED: "#7c3aed",
    Outcome.IGNORED: "#6b7280",
    Outcome.REJECTED: "#b91c1c",
}
