"""How a practice incident (a drill, see the drills app) is marked where people read it.

Every door that names an incident to a person (e-mail subjects, page and chat titles)
prefixes it with `practice_prefix`, so nobody mistakes an exercise for the real thing.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PRACTICE_LABEL = _("PRACTICE")


def practice_prefix(incident) -> str:
    """`[PRACTICE] ` for a practice incident, else nothing."""
    if getattr(incident, "practice", False):
        return gettext("[PRACTICE]") + " "
    return ""


def marked(incident, text: str) -> str:
    """`text` prefixed with `[PRACTICE]` when it is about a practice incident."""
    return f"{practice_prefix(incident)}{text}"
