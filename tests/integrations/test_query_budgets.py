"""What an alert costs the database: a new group opens one incident in a fixed number of
statements; a repeat of a known group touches only the group and its alerts. Savepoints
(transaction bookkeeping) are not counted."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.models import AlertGroup
from tests.integrations.conftest import generated, trigger

pytestmark = pytest.mark.django_db

# 1. the integration by token digest (with its service user), 2. the open group for the
# key (locked), 3. the new group, 4. its alerts (one upsert), 5. a maintenance window now?,
# 6. an earlier group for the key (a recurrence?), 7. the next incident number, 8. the SLA
# policy, 9. the incident, 10. its history row, 11. the "created" event, 12. the group
# linked to its incident; on PostgreSQL also 13. the transaction's lock timeout.
NEW_GROUP = 13
# 1. integration, 2. the open group (locked), 3. its alerts (upsert), 4. the group's last
# fired time; on PostgreSQL also 5. the lock timeout.
REPEAT = 5


def statements(captured) -> list[str]:
    bookkeeping = ("SAVEPOINT", "RELEASE SAVEPOINT")
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(bookkeeping)]


def test_a_new_alert_group_opens_an_incident_in_a_fixed_number_of_statements(post_alerts):
    post_alerts(generated("WarmUp", {"fingerprint": "w1"}))  # per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = post_alerts(generated("DiskFull", {"fingerprint": "d1", "instance": "db1"}))
    assert response.status_code == 200
    assert len(statements(captured)) <= NEW_GROUP, statements(captured)
    assert AlertGroup.objects.get(key__contains="DiskFull").incident is not None


def test_a_repeated_alert_touches_only_its_group(post_alerts):
    payload = generated("DiskFull", {"fingerprint": "d1", "instance": "db1"})
    post_alerts(payload)
    with CaptureQueriesContext(connection) as captured:
        assert post_alerts(payload).status_code == 200
    assert len(statements(captured)) <= REPEAT, statements(captured)
    assert AlertGroup.objects.count() == 1


def test_an_event_trigger_opens_an_incident_in_a_fixed_number_of_statements(post_event):
    post_event(trigger(dedup_key="warm-up"))
    with CaptureQueriesContext(connection) as captured:
        response = post_event(trigger(dedup_key="db1-disk"))
    assert response.status_code == 202
    assert len(statements(captured)) <= NEW_GROUP, statements(captured)


# A new group whose `service` label names no service, from an integration with no default
# service or team: NEW_GROUP's statements, except that 5. looks the label's service up
# (and finds none) instead of a maintenance window (no service, no window), plus 14. the
# "routed" event. The routing rules and the fallback team come from the routing cache,
# warmed by the first delivery (cold, they cost two more: the active rules, the team).
ROUTED_NEW_GROUP = NEW_GROUP + 1


def test_an_alert_nobody_owns_is_routed_in_one_more_statement(make_integration, client):
    _, token = make_integration("alertmanager", name="No defaults")

    def post(group, fingerprint):
        return client.post(
            "/api/v1/integrations/alertmanager/",
            data=json.dumps(generated(group, {"fingerprint": fingerprint, "service": "x"})),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    post("WarmUp", "w1")
    with CaptureQueriesContext(connection) as captured:
        assert post("DiskFull", "d1").status_code == 200
    assert len(statements(captured)) <= ROUTED_NEW_GROUP, statements(captured)
    incident = AlertGroup.objects.get(key__contains="DiskFull").incident
    assert incident.team.slug == "service-desk"
