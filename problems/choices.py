"""Problem states, with the badge colours the admin shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Investigating")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


ACTIVE_PROBLEM_STATUSES = (ProblemStatus.OPEN, ProblemStatus.INVESTIGATING)

PROBLEM_STATUS_COLOURS = {
    ProblemStatus.OPEN: "#7c3aed",
    ProblemStatus.INVESTIGATING: "#0891b2",
    ProblemStatus.RESOLVED: "#15803d",
    ProblemStatus.CLOSED: "#4b5563",
}
