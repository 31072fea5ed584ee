"""Team channels hear about new incidents at or above their priority, major incidents and
resolutions, once per event; a failed post is retried and the sweep finishes the job."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from incidents import services
from incidents.choices import Channel, EventKind
from incidents.events import run_batch_handlers
from incidents.models import IncidentEvent
from messaging.delivery import deliver_message
from messaging.handlers import post_events
from messaging.models import ChannelMessage, MessageStatus
from messaging.services import channel_messages_sweep, channels_post
from messaging.tasks import send_channel_message, sweep_channel_messages

ADMIN = Channel.ADMIN


def test_a_new_p1_for_the_team_reaches_its_room_with_number_text_and_admin_link(
    chat, receiver, make_incident, service, deliver, settings
):
    with deliver():
        incident = make_incident(service=service, priority="P1", title="Payroll VPN down")
    [request] = receiver.wait_for(1)
    text = request.json["text"]
    assert f"[P1] {incident.number} Payroll VPN down" in text
    assert "New incident: VPN, New" in text
    assert (
        f"Acknowledge: {settings.SITE_URL}/admin/incidents/incident/{incident.pk}/change/" in text
    )
    message = ChannelMessage.objects.get(channel=chat)
    assert (message.status, message.kind, message.attempts) == ("sent", "created", 1)


def test_a_new_p4_is_not_posted_to_a_room_that_wants_p2_and_above(
    chat, receiver, make_incident, service, deliver
):
    with deliver():
        make_incident(service=service, priority="P4")
    assert receiver.wait_for(1, timeout=0.5) == []
    assert not ChannelMessage.objects.exists()


def test_an_incident_of_another_team_is_not_posted(
    chat, receiver, make_incident, deliver, make_user
):
    from incidents.models import Team

    other = Team.objects.create(name="Database", slug="db")
    with deliver():
        make_incident(team=other, priority="P1")
    assert not ChannelMessage.objects.exists()


def test_a_room_that_does_not_want_new_incidents_hears_only_what_it_asked_for(
    make_channel, receiver, make_incident, service, deliver, manager
):
    make_channel(receiver.url("json", "major-only"), on_created=False, on_resolved=False)
    with deliver():
        incident = make_incident(service=service, priority="P1")
    with deliver():
        services.incident_declare_major(incident=incident, actor=manager, via=ADMIN)
    [request] = receiver.wait_for(1)
    assert request.json["title"] == f"[P1] {incident.number} VPN down"
    assert request.json["message"].startswith("Major incident declared: VPN, New, major incident")


def test_a_major_incident_is_posted_even_below_the_rooms_priority(
    chat, receiver, make_incident, service, deliver, manager
):
    with deliver():
        incident = make_incident(service=service, priority="P4")
        services.incident_declare_major(incident=incident, actor=manager, via=ADMIN)
    [request] = receiver.wait_for(1)
    assert "Major incident declared" in request.json["text"]
    assert incident.number in request.json["text"]


def test_a_resolution_is_posted_with_a_link_to_open_the_incident(
    chat, receiver, make_incident, service, deliver, responder, settings
):
    from tests.notifications.live import restore_catalogue

    restore_catalogue()
    with deliver():
        incident = make_incident(service=service, priority="P2")
    with deliver():
        services.incident_resolve(
            incident=incident,
            actor=responder,
            via=ADMIN,
            resolution_code="fixed",
            resolution_notes="Gateway restarted.",
        )
    created, resolved = receiver.wait_for(2)
    assert "Resolved: VPN, Resolved" in resolved.json["text"]
    assert f"Open: {settings.SITE_URL}/admin/incidents/incident/{incident.pk}/" in resolved.text
    assert ChannelMessage.objects.filter(status="sent").count() == 2


def test_a_batch_handled_twice_posts_once(chat, receiver, make_incident, service, deliver):
    with deliver():
        make_incident(service=service, priority="P1")
    events = list(IncidentEvent.objects.select_related("incident"))
    with deliver():
        run_batch_handlers(events)
        post_events(events)
    receiver.wait_for(2, timeout=1)
    assert len(receiver.requests) == 1
    assert ChannelMessage.objects.count() == 1


def test_a_task_delivered_twice_posts_once(chat, receiver, p1):
    [message_id] = channels_post(
        team=chat.team, incident=p1, kind="escalated", title="Esc", body="b"
    )
    assert send_channel_message(message_id) == "sent"
    assert send_channel_message(message_id) == "skipped"
    assert len(receiver.wait_for(1)) == 1


def test_channels_post_enqueues_only_after_commit(chat, p1, django_capture_on_commit_callbacks):
    with mock.patch.object(send_channel_message, "delay") as delay:
        with django_capture_on_commit_callbacks() as callbacks:
            ids = channels_post(team=chat.team, incident=p1, kind="escalated", title="t", body="b")
        delay.assert_not_called()
        for callback in callbacks:
            callback()
    delay.assert_called_once_with(ids[0])


def test_channels_post_respects_kind_and_priority_and_refuses_unknown_kinds(
    chat, make_channel, receiver, make_incident, service
):
    from incidents.exceptions import DomainError

    low = make_incident(service=service, priority="P3")
    assert channels_post(team=chat.team, incident=low, kind="escalated", title="t", body="b") == []
    chat.on_escalated = False
    chat.save()
    high = make_incident(service=service, priority="P1")
    assert channels_post(team=chat.team, incident=high, kind="escalated", title="t", body="b") == []
    with pytest.raises(DomainError):
        channels_post(team=chat.team, incident=high, kind="paged", title="t", body="b")


def test_one_query_reads_the_channels_of_every_team_in_a_batch(
    chat, make_incident, service, django_assert_num_queries
):
    from incidents.models import Team

    other = Team.objects.create(name="Database", slug="db")
    make_incident(team=other, priority="P1")
    make_incident(team=other, priority="P1")
    events = list(IncidentEvent.objects.select_related("incident"))
    assert len(events) == 2
    with django_assert_num_queries(1):  # the active channels of the batch's teams
        post_events(events)


def test_a_503_puts_the_message_back_and_a_later_sweep_delivers_it(
    chat, receiver, p1, caplog, django_capture_on_commit_callbacks
):
    [message_id] = channels_post(
        team=chat.team, incident=p1, kind="created", title="[P1] x", body="b"
    )
    receiver.fail_next(1, status=503)
    with caplog.at_level(logging.INFO):
        assert deliver_message(message_id) == "pending"
    message = ChannelMessage.objects.get(pk=message_id)
    assert message.status == MessageStatus.PENDING and "503" in message.last_error
    assert message.due_at > timezone.now() + timedelta(seconds=20)
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("apprise")]
    assert ours and "hooks-token-abcdef123456" not in " ".join(ours)
    assert channel_messages_sweep() == []  # not due yet: the task's own retry comes first
    assert channel_messages_sweep(now=message.due_at + timedelta(minutes=2)) == [message_id]
    ChannelMessage.objects.filter(pk=message_id).update(due_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_channel_messages() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")
    assert len(receiver.wait_for(1)) == 1


def test_a_receiver_that_stays_down_fails_the_message_after_the_last_attempt(
    make_channel, dead_port, p1, settings
):
    from itsm.retries import MAX_ATTEMPTS

    settings.ITSM_OUTBOUND_ALLOWLIST = ["127.0.0.1"]
    channel = make_channel(f"json://127.0.0.1:{dead_port}/hook")
    [message_id] = channels_post(
        team=channel.team, incident=p1, kind="resolved", title="t", body="b"
    )
    ChannelMessage.objects.filter(pk=message_id).update(attempts=MAX_ATTEMPTS - 1)
    assert deliver_message(message_id) == "failed"
    message = ChannelMessage.objects.get(pk=message_id)
    assert message.last_error.startswith(f"Gave up after {MAX_ATTEMPTS} attempts")


def test_the_task_retries_a_transient_error_with_a_countdown(chat, receiver, p1):
    [message_id] = channels_post(team=chat.team, incident=p1, kind="created", title="t", body="b")
    receiver.fail_next(1, status=503)
    retrying = mock.patch.object(send_channel_message, "retry", side_effect=RuntimeError)
    with retrying as retry, pytest.raises(RuntimeError):
        send_channel_message(message_id)
    assert retry.call_args.kwargs["countdown"] == 30


def test_a_worker_that_died_mid_send_leaves_the_message_to_the_sweep(chat, p1, settings):
    [message_id] = channels_post(team=chat.team, incident=p1, kind="created", title="t", body="b")
    lapsed = timezone.now() - timedelta(seconds=settings.ITSM_CLAIM_LEASE_SECONDS + 5)
    ChannelMessage.objects.filter(pk=message_id).update(
        status=MessageStatus.SENDING, claimed_at=lapsed, attempts=1
    )
    assert channel_messages_sweep() == [message_id]
    assert deliver_message(message_id) == "sent"


def test_a_deactivated_channel_gets_nothing(chat, p1):
    [message_id] = channels_post(team=chat.team, incident=p1, kind="created", title="t", body="b")
    chat.active = False
    chat.save()
    assert deliver_message(message_id) == "failed"


def test_beat_sweeps_channel_messages_every_minute(settings):
    schedule = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["messaging.tasks.sweep_channel_messages"] == 60.0


def test_the_event_kinds_posted_by_the_handler(chat):
    from messaging.handlers import POSTED_KINDS

    assert {EventKind.CREATED, EventKind.MAJOR_DECLARED, EventKind.RESOLVED} == POSTED_KINDS
