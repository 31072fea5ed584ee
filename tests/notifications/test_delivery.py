"""Delivery: enqueued after commit, claimed once, transient errors retried, permanent ones
recorded, lost work swept up."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from incidents import services
from incidents.choices import Channel
from incidents.events import run_handlers
from incidents.models import IncidentEvent
from itsm.retries import MAX_ATTEMPTS
from notifications import delivery
from notifications.models import DeliveryStatus, Notification
from notifications.services import notifications_create, notifications_sweep
from notifications.tasks import send_notifications, sweep_notifications

pytestmark = pytest.mark.django_db


class FailingBackend:
    """An SMTP backend whose every send raises `error`."""

    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise self.error


@pytest.fixture
def failing_smtp(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    yield FailingBackend
    FailingBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_nothing_is_published_before_commit_and_nothing_for_a_rolled_back_change(
    make_incident, django_capture_on_commit_callbacks
):
    with (
        mock.patch("incidents.events.publish_event") as publish,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_incident()
        raise RuntimeError("rolled back")
    publish.assert_not_called()
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_handler_publishes_send_tasks_only_after_its_rows_are_committed(
    make_incident, vpn, django_capture_on_commit_callbacks
):
    make_incident(service=vpn)
    event = IncidentEvent.objects.get()
    with mock.patch.object(send_notifications, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run_handlers(event)
        delay.assert_not_called()
        for callback in callbacks:
            callback()
    (call,) = delay.call_args_list
    assert sorted(call.args[0]) == sorted(Notification.objects.values_list("pk", flat=True))


def test_a_send_task_delivered_twice_sends_each_message_once(pending):
    send_notifications.delay(pending)
    send_notifications.delay(pending)
    assert len(mail.outbox) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_an_event_handled_twice_creates_and_sends_nothing_twice(
    make_incident, vpn, django_capture_on_commit_callbacks
):
    make_incident(service=vpn)
    event = IncidentEvent.objects.get()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            run_handlers(event)
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_row_claimed_by_another_worker_is_not_sent_again(pending):
    Notification.objects.filter(pk=pending[0]).update(status=DeliveryStatus.SENDING)
    assert delivery.deliver_batch(pending).sent == 1
    assert len(mail.outbox) == 1


def test_a_sent_notification_records_subject_message_id_and_time(pending):
    delivery.deliver_batch(pending)
    row = Notification.objects.get(pk=pending[0])
    assert row.status == DeliveryStatus.SENT
    assert row.subject.startswith(f"[{row.incident.number}]")
    assert row.message_id == mail.outbox[0].extra_headers["Message-ID"]
    assert row.sent_at is not None
    assert row.attempts == 1


def test_a_transient_smtp_error_puts_the_rows_back_with_a_later_due_time(pending, failing_smtp):
    result = delivery.deliver_batch(pending)
    assert result.retry_ids == pending
    for row in Notification.objects.filter(pk__in=pending):
        assert row.status == DeliveryStatus.PENDING
        assert row.due_at > timezone.now() + timedelta(seconds=20)
        assert "SMTPServerDisconnected" in row.error


def test_the_task_retries_transient_errors_then_gives_up_and_records_the_failure(
    pending, failing_smtp
):
    with (
        mock.patch.object(send_notifications, "retry", side_effect=RuntimeError) as retry,
        pytest.raises(RuntimeError),
    ):
        send_notifications(pending)
    assert retry.call_args.kwargs["args"] == [pending]
    assert retry.call_args.kwargs["countdown"] > 0
    Notification.objects.filter(pk__in=pending).update(attempts=MAX_ATTEMPTS - 1)
    assert delivery.deliver_batch(pending).retry_ids == []
    for row in Notification.objects.filter(pk__in=pending):
        assert row.status == DeliveryStatus.FAILED
        assert row.error.startswith(f"Gave up after {MAX_ATTEMPTS} attempts")


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"alice@example.com": (550, b"No such user")}),
        smtplib.SMTPDataError(554, b"Message rejected"),
    ],
)
def test_a_permanent_smtp_error_fails_the_row_at_once_with_the_error(pending, failing_smtp, error):
    failing_smtp.error = error
    result = delivery.deliver_batch(pending)
    assert (result.failed, result.retry_ids) == (2, [])
    row = Notification.objects.get(pk=pending[0])
    assert row.status == DeliveryStatus.FAILED
    assert type(error).__name__ in row.error


def test_a_4xx_reply_is_transient_and_a_5xx_reply_is_not():
    assert delivery.is_transient(smtplib.SMTPDataError(451, b"Try later"))
    assert not delivery.is_transient(smtplib.SMTPDataError(550, b"No"))
    assert delivery.is_transient(ConnectionRefusedError())
    assert not delivery.is_transient(ValueError("bad header"))


def test_the_sweep_republishes_rows_nobody_sent_and_revives_rows_of_a_dead_worker(
    pending, django_capture_on_commit_callbacks
):
    later = timezone.now() + timedelta(minutes=20)
    Notification.objects.filter(pk=pending[0]).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now()
    )
    assert notifications_sweep(now=timezone.now()) == []
    assert sorted(notifications_sweep(now=later)) == sorted(pending)
    assert sweep_notifications() == 0  # nothing is due yet at the real time
    with (
        mock.patch("notifications.services.timezone.now", return_value=later),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_notifications() == 2
    assert len(mail.outbox) == 2


def test_rows_interrupted_too_often_fail_instead_of_looping(pending):
    Notification.objects.filter(pk__in=pending).update(
        status=DeliveryStatus.SENDING,
        claimed_at=timezone.now() - timedelta(hours=1),
        attempts=MAX_ATTEMPTS,
    )
    assert notifications_sweep() == []
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}


def test_services_keep_working_when_the_broker_refuses_send_tasks(
    make_incident, vpn, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(send_notifications, "delay", side_effect=ConnectionError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        make_incident(service=vpn)
    assert Notification.objects.filter(status=DeliveryStatus.PENDING).count() == 2
    assert mail.outbox == []


def test_a_broken_template_fails_the_row_instead_of_retrying_forever(pending):
    Notification.objects.filter(pk=pending[0]).update(template="no-such-template")
    result = delivery.deliver_batch(pending)
    assert (result.sent, result.failed) == (1, 1)
    assert "TemplateDoesNotExist" in Notification.objects.get(pk=pending[0]).error


def test_a_failed_notification_can_be_sent_again(pending, django_capture_on_commit_callbacks):
    from notifications.services import notifications_retry

    Notification.objects.filter(pk__in=pending).update(status=DeliveryStatus.FAILED, error="x")
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_retry(notification_ids=pending) == 2
    assert len(mail.outbox) == 2


def test_a_public_update_turned_internal_before_sending_is_not_sent(
    make_incident, responder, django_capture_on_commit_callbacks
):
    from incidents.models import Comment

    incident = make_incident()
    services.incident_comment(
        incident=incident, author=responder, body="Secret", via=Channel.ADMIN, public=True
    )
    event = IncidentEvent.objects.get(kind="commented")
    ids = notifications_create(event=event)
    Comment.objects.update(public=False)
    delivery.deliver_batch(ids)
    assert all("Secret" not in message.body for message in mail.outbox)


def test_a_fan_out_opens_one_smtp_connection_per_batch(
    deliver, make_incident, vpn, make_user, manager, smtp_server, monkeypatch
):
    import notifications.services

    monkeypatch.setattr(notifications.services, "BATCH_SIZE", 10)
    people = [make_user(f"subscriber{index}") for index in range(25)]
    vpn.subscribers.add(*people)
    with deliver():
        incident = make_incident(service=vpn)
    connections, real_connect = [], smtplib.SMTP.connect

    def counting_connect(self, *args, **kwargs):
        connections.append(args)
        return real_connect(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", counting_connect)
    with deliver():
        services.incident_declare_major(incident=incident, actor=manager, via=Channel.ADMIN)
    # creation: 2; declaration: 25 subscribers + reporter, and a page to the incident manager
    received = smtp_server.wait_for(2 + 26 + 1)
    pages = [m for m in received if "Paged" in m["subject"]]
    assert len(received) - len(pages) == 28
    assert [m["envelope_to"] for m in pages] == [[manager.email]]
    assert len(connections) == 3 + 1  # notifications: batches of 10; a page goes on its own


def test_a_mail_server_that_refuses_the_connection_leaves_every_row_for_a_retry(pending, settings):
    settings.EMAIL_BACKEND = "itsm.mail.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nobody listens there
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    result = delivery.deliver_batch(pending)
    assert sorted(result.retry_ids) == sorted(pending)
    assert "ConnectionRefusedError" in result.error
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}


def test_beat_runs_the_sla_checks_and_both_sweeps_every_minute_and_auto_close(settings):
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert schedule["incidents.tasks.check_sla_clocks"] == 60.0
    assert schedule["incidents.tasks.sweep_event_outbox"] == 60.0
    assert schedule["notifications.tasks.sweep_notifications"] == 60.0
    assert schedule["notifications.tasks.reclaim_notifications"] == 15.0
    assert schedule["api.tasks.sweep_webhook_deliveries"] == 15.0
    assert "incidents.tasks.auto_close_resolved" in schedule
