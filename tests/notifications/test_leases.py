"""Claim leases: rows a killed worker held are sent by another worker once the lease lapsed,
never while it runs; a long batch renews its lease and never sends a row taken over."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from notifications import delivery
from notifications.models import DeliveryStatus, Notification
from notifications.services import notifications_reclaim
from notifications.tasks import reclaim_notifications

pytestmark = pytest.mark.django_db


def claimed(ids, ago: timedelta, **fields):
    Notification.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - ago, attempts=1, **fields
    )


def test_a_redelivered_batch_sends_the_rows_whose_lease_lapsed(pending):
    claimed(pending, timedelta(seconds=61))
    assert delivery.deliver_batch(pending).sent == 2
    assert set(Notification.objects.values_list("attempts", flat=True)) == {2}


def test_rows_a_live_worker_holds_are_not_taken_over(pending):
    claimed(pending, timedelta(seconds=30))
    assert delivery.deliver_batch(pending).sent == 0
    assert notifications_reclaim() == []
    assert mail.outbox == []


def test_a_row_recorded_as_sent_is_never_sent_again(pending):
    claimed(pending, timedelta(hours=1))
    Notification.objects.filter(pk=pending[0]).update(status=DeliveryStatus.SENT)
    assert delivery.deliver_batch(pending).sent == 1
    assert notifications_reclaim(now=timezone.now() + timedelta(hours=1)) == []
    assert [m.to for m in mail.outbox] == [[Notification.objects.get(pk=pending[1]).address]]


def test_the_reclaim_sweep_publishes_a_dead_workers_rows_at_once(
    pending,
    django_capture_on_commit_callbacks,
):
    claimed(pending, timedelta(seconds=90))
    with django_capture_on_commit_callbacks(execute=True):
        assert reclaim_notifications() == 2
    assert len(mail.outbox) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_long_batch_renews_its_lease_so_nobody_reclaims_it(pending, settings):
    settings.ITSM_CLAIM_LEASE_SECONDS = 0  # renew before every message
    renewed = []

    def send(notification, connection, shared):
        renewed.append(Notification.objects.get(pk=notification.pk).claimed_at)
        original_send(notification, connection, shared)

    original_send = delivery._send_one
    with mock.patch.object(delivery, "_send_one", side_effect=send):
        assert delivery.deliver_batch(pending).sent == 2
    assert renewed[0] < renewed[1]


def test_a_batch_skips_a_row_another_worker_reclaimed_after_its_lease_lapsed(pending, settings):
    settings.ITSM_CLAIM_LEASE_SECONDS = 0
    original_send = delivery._send_one

    def send_and_lose_the_second_row(notification, connection, shared):
        original_send(notification, connection, shared)
        taken = timezone.now() + timedelta(seconds=5)  # another worker's claim
        Notification.objects.filter(pk=pending[1]).update(claimed_at=taken)

    with mock.patch.object(delivery, "_send_one", side_effect=send_and_lose_the_second_row):
        assert delivery.deliver_batch(pending).sent == 1
    assert Notification.objects.get(pk=pending[1]).status == DeliveryStatus.SENDING


def test_rows_interrupted_on_every_attempt_fail_instead_of_looping(pending):
    claimed(pending, timedelta(minutes=5))
    Notification.objects.filter(pk__in=pending).update(attempts=6)
    assert delivery.deliver_batch(pending).sent == 0
    assert notifications_reclaim() == []
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
