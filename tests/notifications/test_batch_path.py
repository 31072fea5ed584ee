"""The worker's path for a burst of new incidents: dispatching a batch of events costs the
same statements whatever its size, sending costs one per message on top of a fixed few, and
a batch's messages leave over one SMTP connection."""

import pytest

from incidents.models import IncidentEvent
from incidents.tasks import dispatch_batch
from notifications.models import DeliveryStatus, Notification
from notifications.tasks import send_notifications

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_incidents(make_incident, vpn):
    """`count` incidents reported on the VPN (reporter and the team's mailbox are told),
    their "created" events still in the outbox."""

    def make(count: int) -> None:
        for index in range(count):
            make_incident(service=vpn, title=f"VPN down {index}")

    return make


@pytest.mark.parametrize("count", [1, 8])
def test_dispatching_a_batch_of_new_incidents_costs_the_same_statements_for_one_or_eight(
    new_incidents, count, django_assert_num_queries
):
    new_incidents(count)
    # SAVEPOINT; the events claimed with their incidents and teams;
    # notifications: SAVEPOINT, rules, addresses, opt-outs, staff, the rows inserted, the
    #   rows still pending, RELEASE;
    # webhooks: endpoints; messaging: team channels; paging: escalation policies;
    # preparedness: the incidents, their response plans;
    # status page: the public incidents, all-services subscribers, service subscribers,
    #   mail rows still pending (new incidents leave the uptime rollup to the beat);
    # the events marked dispatched; RELEASE.
    with django_assert_num_queries(21):
        assert dispatch_batch() == count
    assert Notification.objects.count() == 2 * count


@pytest.mark.parametrize("count", [1, 8])
def test_sending_a_batch_costs_a_fixed_few_statements_and_one_per_message(
    new_incidents, count, django_assert_num_queries
):
    new_incidents(count)
    dispatch_batch()
    ids = list(Notification.objects.values_list("pk", flat=True))
    # The claim: SAVEPOINT, the claimable rows locked, claimed, RELEASE; the batch read
    # with everything its messages show. Then each message's own "sent" record: kept per
    # message so a worker killed mid-batch sends at most one message twice.
    with django_assert_num_queries(5 + len(ids)):
        assert send_notifications(ids) == 2 * count
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


@pytest.mark.services
def test_a_burst_of_new_incidents_is_mailed_over_one_smtp_connection(
    new_incidents, smtp_server, django_capture_on_commit_callbacks
):
    new_incidents(5)
    assert IncidentEvent.objects.filter(dispatched_at__isnull=True).count() == 5
    with django_capture_on_commit_callbacks(execute=True):  # the send task runs after commit
        assert dispatch_batch() == 5
    received = smtp_server.wait_for(10)
    assert len(received) == 10
    assert len({message["peer"] for message in received}) == 1
    assert sorted(len(smtp_server.to(address)) for address in ["ops@example.com"]) == [5]
