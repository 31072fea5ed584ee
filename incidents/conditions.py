"""The conditions the open incidents' partial indexes are built on, for queries to repeat.

SQLite uses a partial index only when the query's WHERE repeats the index's condition term
for term, values included, and it decides when the statement is prepared, before the
parameters are bound: `status IN (%s, %s, ...)` never matches the index's
`status IN ('new', ...)`, and the status page, the dashboard and the portal then read the
whole incident table (about 90 ms at 100,000 incidents, against 0.2 ms through the index).
So on SQLite these conditions carry their values in the statement (`itsm.query_hints.
Constant`); PostgreSQL gets parameters as before.

The indexes (`incidents.models.incident.Incident.Meta.indexes`) keep their conditions
written with plain values: the SQL is the same, and their migrations stay as they are.
"""

from django.db.models import Q, Value

from incidents.choices import OPEN_STATUSES, OUTAGE_PRIORITIES, Level
from itsm.query_hints import Constant


def constants(values) -> list[Constant]:
    return [Constant(str(value)) for value in values]


def open_q() -> Q:
    """Open incidents: the condition of every `incident_open_*` index."""
    return Q(status__in=constants(OPEN_STATUSES))


def affects_others_q() -> Q:
    """Major, or reported as affecting more than its reporter (impact above low): with
    `open_q`, the condition of `incident_open_known` and `incident_open_known_all`."""
    return Q(major=True) | ~Q(impact=Constant(str(Level.LOW)))


def outage_q() -> Q:
    """Major or of an outage priority: with `open_q`, `incident_open_outage`'s condition."""
    return Q(major=True) | Q(priority__in=constants(OUTAGE_PRIORITIES))


def major_q() -> Q:
    """Major incidents, written so that SQLite seeks them in `incident_open_known_all`
    (with `open_q`): `major = true`, which it can seek on, where the bare column is only a
    filter, and that index's condition, which major implies. Without it SQLite read every
    open incident through the status index (80 ms with 50,000 open, against 0.5 ms)."""
    return Q(major=Value(True)) & affects_others_q()
