"""Which of the change page's optional parts an incident has rows for, read in one query
compiled once per process (`itsm.compiled_once`).

Each part that is usually empty (children, merged duplicates, files; the checklist and the
satisfaction rating, registered by their apps) names the rows it would show. The page
reads one flag per part and skips the reads and the rendering of the empty ones. Read as
annotations of the incident's own query, the EXISTS cost more to compile than the reads
they saved; compiled once they cost the database a few index probes.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, QuerySet

from incidents.models import Attachment, Incident
from itsm.compiled_once import first_row_once

RowsOf = Callable[[object], QuerySet]  # the part's rows of an incident (or OuterRef("pk"))
_parts: dict[str, RowsOf] = {
    "has_children": lambda incident: Incident.objects.filter(parent=incident),
    "has_duplicates": lambda incident: Incident.objects.filter(duplicate_of=incident),
    "has_attachments": lambda incident: Attachment.objects.filter(incident=incident),
}


def register_part(flag: str, rows_of: RowsOf) -> None:
    """Another app's section of the change page: `incident.<flag>` is False when empty."""
    _parts[flag] = rows_of


def read_presence(incident: Incident) -> None:
    """Set `incident.<flag>` for every part: False when it has no rows."""
    flags = list(_parts)

    def flags_of(pk) -> QuerySet:
        exists = {flag: Exists(_parts[flag](OuterRef("pk"))) for flag in flags}
        return Incident.objects.filter(pk=pk).annotate(**exists).values_list(*flags).order_by()

    found = first_row_once("change-page-parts:" + ",".join(flags), flags_of, incident.pk)
    for flag, has in zip(flags, found or [True] * len(flags), strict=True):
        setattr(incident, flag, bool(has))
