"""The open incidents' partial indexes can answer the queries written for them, on both
databases.

SQLite uses a partial index only when the statement repeats the index's condition with the
same values written in it (`incidents.conditions`); with the values as parameters it read
the whole incident table for the status page (90 ms at 100,000 incidents instead of 0.2).
Which index a planner picks depends on statistics a test database does not have, so on
SQLite the index is demanded (`INDEXED BY` fails the statement when the index cannot
serve it); on PostgreSQL, analysed and with sequential scans off, an index must answer
(which one it picks among those that fit depends on statistics).
"""

import pytest
from django.db import connection

from incidents.conditions import major_q, outage_q
from incidents.models import Incident
from statuspage import selectors as status

pytestmark = pytest.mark.django_db
TABLE = '"incidents_incident"'


def plan(queryset, index: str) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            demanded = sql.replace(f"FROM {TABLE}", f'FROM {TABLE} INDEXED BY "{index}"', 1)
            cursor.execute(f"EXPLAIN QUERY PLAN {demanded}", params)
            return "\n".join(row[-1] for row in cursor.fetchall())
        cursor.execute(f"ANALYZE {TABLE}")  # without statistics, any index looks as good
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def answered_by(queryset, index: str) -> bool:
    if connection.vendor == "sqlite":
        return index in plan(queryset, index)
    # PostgreSQL picks among the indexes that fit ((service, status) or the partial one)
    # by statistics; what must not happen is a read of the whole table.
    found = plan(queryset, index)
    return "Index" in found and "Seq Scan" not in found


@pytest.fixture
def incidents(make_incident, service):
    for impact in ("high", "medium", "low"):
        make_incident(service=service, impact=impact, urgency="high")


def test_the_status_pages_ongoing_incidents_can_be_read_through_their_partial_index(incidents):
    ongoing = status.status_incidents().open().order_by("-major", "priority", "-opened_at")
    assert answered_by(ongoing[: status.ONGOING_SHOWN], "incident_open_known_all")


def test_the_open_incidents_in_workspace_order_can_be_read_through_their_partial_index(
    incidents,
):
    queue = Incident.objects.open().order_by("priority", "resolution_due", "id")
    assert answered_by(queue[:25], "incident_open_order")


def test_a_services_outages_can_be_found_through_their_partial_index(incidents, service):
    outages = Incident.objects.open().filter(outage_q(), service=service)
    assert answered_by(outages.values("pk")[:1], "incident_open_outage")


def test_open_major_incidents_can_be_read_through_the_known_incidents_index(incidents):
    majors = Incident.objects.open().filter(major_q()).order_by("priority", "resolution_due")
    assert answered_by(majors[:8], "incident_open_known_all")
    if connection.vendor == "sqlite":  # a seek to the major ones, not a walk of all of it
        assert "incident_open_known_all (major=?)" in plan(majors[:8], "incident_open_known_all")
