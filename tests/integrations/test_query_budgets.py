"""What an alert costs the database. The request only stores the delivery: one INSERT (the
integration comes from the token cache, the events rate limit from the cache). The drain
then opens one incident per new group in a fixed number of statements, and a repeat of a
known group touches only the group and its alerts. Savepoints (transaction bookkeeping)
are not counted."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations import services
from integrations.models import AlertGroup, Delivery
from tests.integrations.conftest import generated, trigger

pytestmark = [pytest.mark.django_db, pytest.mark.deliveries_wait]

# 1. the delivery's INSERT. Nothing else: the kick runs after commit and touches only the
# cache and the broker.
REQUEST = 1
# The drain, per batch: 1. the drain lock (PostgreSQL: an advisory lock; elsewhere the
# cache), 2. the oldest waiting deliveries with their integrations, then per delivery
# NEW_GROUP or REPEAT, and per batch 3. one DELETE of the processed deliveries.
DRAIN = 2 + (connection.vendor == "postgresql")
# 1. the open group for the key (locked), 2. the new group, 3. its alerts (one upsert),
# 4. a maintenance window now?, 5. an earlier group for the key (a recurrence?), 6. the next
# incident number, 7. the SLA policy, 8. the incident, 9. its history row, 10. the
# "created" event, 11. the group linked to its incident; on PostgreSQL also 12. the
# transaction's lock timeout.
NEW_GROUP = 11 + (connection.vendor == "postgresql")
# 1. the open group (locked), 2. its alerts (upsert), 3. the group's last fired time; on
# PostgreSQL also 4. the lock timeout.
REPEAT = 3 + (connection.vendor == "postgresql")


def statements(captured) -> list[str]:
    bookkeeping = ("SAVEPOINT", "RELEASE SAVEPOINT")
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(bookkeeping)]


def drained_in(statement_count: int) -> None:
    with CaptureQueriesContext(connection) as captured:
        assert services.deliveries_drain().processed == 1
    assert len(statements(captured)) <= DRAIN + statement_count, statements(captured)


def test_an_alertmanager_delivery_is_stored_in_one_statement(post_alerts):
    post_alerts(generated("WarmUp", {"fingerprint": "w1"}))  # the token cache
    with CaptureQueriesContext(connection) as captured:
        response = post_alerts(generated("DiskFull", {"fingerprint": "d1", "instance": "db1"}))
    assert response.status_code == 200
    assert len(statements(captured)) == REQUEST, statements(captured)
    assert Delivery.objects.count() == 2


def test_an_event_is_stored_in_one_statement(post_event):
    post_event(trigger(dedup_key="warm-up"))
    with CaptureQueriesContext(connection) as captured:
        response = post_event(trigger(dedup_key="db1-disk"))
    assert response.status_code == 202
    assert len(statements(captured)) == REQUEST, statements(captured)


def test_the_drain_opens_an_incident_for_a_new_group_in_a_fixed_number_of_statements(
    post_alerts,
):
    post_alerts(generated("WarmUp", {"fingerprint": "w1"}))
    services.deliveries_drain()  # per-process caches
    post_alerts(generated("DiskFull", {"fingerprint": "d1", "instance": "db1"}))
    drained_in(NEW_GROUP)
    assert AlertGroup.objects.get(key__contains="DiskFull").incident is not None


def test_the_drain_applies_a_repeated_alert_touching_only_its_group(post_alerts):
    payload = generated("DiskFull", {"fingerprint": "d1", "instance": "db1"})
    post_alerts(payload)
    services.deliveries_drain()
    post_alerts(payload)
    drained_in(REPEAT)
    assert AlertGroup.objects.count() == 1


def test_the_drain_opens_an_incident_for_an_event_in_a_fixed_number_of_statements(post_event):
    post_event(trigger(dedup_key="warm-up"))
    services.deliveries_drain()
    post_event(trigger(dedup_key="db1-disk"))
    drained_in(NEW_GROUP)


def test_a_batch_of_repeats_costs_one_lock_one_read_and_one_delete(post_alerts):
    payload = generated("DiskFull", {"fingerprint": "d1", "instance": "db1"})
    post_alerts(payload)
    services.deliveries_drain()
    for _ in range(5):
        post_alerts(payload)
    with CaptureQueriesContext(connection) as captured:
        assert services.deliveries_drain().processed == 5
    assert len(statements(captured)) <= DRAIN + 5 * REPEAT, statements(captured)


# A new group whose `service` label names no service, from an integration with no default
# service or team: NEW_GROUP's statements, except that 4. looks the label's service up
# (and finds none) instead of a maintenance window (no service, no window), plus 12. the
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

    assert post("WarmUp", "w1").status_code == 200
    services.deliveries_drain()
    assert post("DiskFull", "d1").status_code == 200
    drained_in(ROUTED_NEW_GROUP)
    incident = AlertGroup.objects.get(key__contains="DiskFull").incident
    assert incident.team.slug == "service-desk"
