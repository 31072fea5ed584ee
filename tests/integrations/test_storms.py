"""Alert storms: a per-integration grouping rule folds distinct alerts into one incident,
and the work per delivery does not grow with the size of the group."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Incident
from integrations.models import Alert, AlertGroup
from tests.integrations.conftest import generated

pytestmark = pytest.mark.django_db


def storm_alert(number: int, service: str = "checkout") -> dict:
    """Alertmanager grouping by (alertname, instance): each instance is its own group."""
    payload = generated(
        "HighCPU", {"fingerprint": f"fp-{number}", "instance": f"web-{number}", "service": service}
    )
    payload["groupKey"] = f'{{}}:{{alertname="HighCPU", instance="web-{number}"}}'
    return payload


def test_without_a_rule_each_alertmanager_group_is_its_own_incident(post_alerts):
    for number in range(5):
        post_alerts(storm_alert(number))
    assert Incident.objects.count() == 5


def test_a_grouping_rule_folds_five_hundred_distinct_alerts_into_one_incident(
    post_alerts, alertmanager, checkout
):
    integration = alertmanager[0]
    integration.grouping_labels = "alertname,service"
    integration.save()

    for number in range(500):
        assert post_alerts(storm_alert(number)).status_code == 200

    incident = Incident.objects.get()
    assert incident.title == "HighCPU: service=checkout"
    assert incident.service == checkout
    assert Alert.objects.filter(group__incident=incident).count() == 500
    assert AlertGroup.objects.count() == 1


def test_the_rule_keeps_different_services_apart(post_alerts, alertmanager, checkout):
    alertmanager[0].grouping_labels = "alertname,service"
    alertmanager[0].save()
    post_alerts(storm_alert(1, "checkout"))
    post_alerts(storm_alert(2, "vpn"))
    assert Incident.objects.count() == 2


def test_one_delivery_folding_many_alerts_is_grouped_by_the_rule(post_alerts, alertmanager):
    alertmanager[0].grouping_labels = "alertname"
    alertmanager[0].save()
    alerts = [{"fingerprint": f"f{i}", "instance": f"i{i}"} for i in range(50)]
    post_alerts(generated("Storm", *alerts))
    assert Incident.objects.count() == 1
    assert Alert.objects.count() == 50


def queries_for(post_alerts, payload) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert post_alerts(payload).status_code == 200
    return len(captured)


def test_attaching_to_a_group_costs_the_same_queries_with_3_or_300_alerts_in_it(
    post_alerts, alertmanager
):
    alertmanager[0].grouping_labels = "alertname,service"
    alertmanager[0].save()
    for number in range(3):
        post_alerts(storm_alert(number))
    small = queries_for(post_alerts, storm_alert(1000))
    for number in range(3, 300):
        post_alerts(storm_alert(number))
    large = queries_for(post_alerts, storm_alert(2000))
    assert small == large
    # the request stores the delivery 1 (the integration comes from the token cache); the
    # drain reads the waiting deliveries 1, the open group (locked) 1, upserts the alerts
    # 1 and deletes the delivery 1; the group fired within the minute, so it is not
    # written; plus six statements of transaction bookkeeping (a savepoint and its release
    # for the batch, the delivery and the intake, inside the test's transaction); on
    # PostgreSQL two more: the drain's advisory lock and the transaction's lock timeout
    assert large == 11 + 2 * (connection.vendor == "postgresql")
