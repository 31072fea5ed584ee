"""End to end: a real Celery worker on Redis sends to a real SMTP server (aiosmtpd)."""

import threading
import time
from unittest import mock

import pytest

from incidents import services
from incidents.choices import Channel
from incidents.events import publish_event
from incidents.models import IncidentEvent
from notifications.models import DeliveryStatus, Notification
from notifications.tasks import send_notifications
from tests.notifications.live import raw_text, restore_catalogue, subjects, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ADMIN = Channel.ADMIN
WORK_NOTE = "Internal: root password of the VPN gateway is hunter2"


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    restore_catalogue()


def test_stakeholders_receive_the_right_messages_and_never_a_work_note(
    celery_worker,
    smtp_server,
    make_incident,
    vpn,
    reporter,
    other_reporter,
    responder,
    manager,
    settings,
):
    incident = make_incident(service=vpn)
    assert incident.number == "INC0001001"
    services.incident_watch(incident=incident, user=other_reporter, actor=manager, via=ADMIN)
    services.incident_assign(incident=incident, assignee=responder, actor=manager, via=ADMIN)
    services.incident_comment(
        incident=incident, author=responder, body=WORK_NOTE, via=ADMIN, public=False
    )
    services.incident_comment(
        incident=incident,
        author=responder,
        body="Restarting the gateway.",
        via=ADMIN,
        public=True,
    )
    services.incident_resolve(
        incident=incident,
        actor=responder,
        via=ADMIN,
        resolution_code="fixed",
        resolution_notes="Gateway restarted; tunnels are back.",
    )
    messages = smtp_server.wait_for(7)
    time.sleep(1)  # anything extra would arrive now
    assert len(smtp_server.messages) == 7
    assert subjects(smtp_server, reporter.email) == [
        "[INC0001001] Received: VPN down",
        "[INC0001001] Resolved: VPN down",
        "[INC0001001] Update: VPN down",
    ]
    assert subjects(smtp_server, other_reporter.email) == [
        "[INC0001001] Resolved: VPN down",
        "[INC0001001] Update: VPN down",
    ]
    assert subjects(smtp_server, responder.email) == ["[INC0001001] Assigned to you: VPN down"]
    assert subjects(smtp_server, "ops@example.com") == ["[INC0001001] New P3 incident: VPN down"]
    assert all(len(m["envelope_to"]) == 1 for m in messages)
    assert all("hunter2" not in raw_text(m) for m in messages)
    resolved = next(m for m in smtp_server.to(reporter.email) if "Resolved" in m["subject"])
    body = raw_text(resolved)
    assert f"{settings.SITE_URL}/portal/incidents/INC0001001/" in body
    assert "Gateway restarted; tunnels are back." in body
    assert "/admin/" not in body
    message_ids = {m["message"]["Message-ID"] for m in messages}
    assert len(message_ids) == 7
    sent = Notification.objects.filter(status=DeliveryStatus.SENT)
    assert set(sent.values_list("message_id", flat=True)) == message_ids


def test_tasks_and_events_delivered_twice_still_send_one_message_per_recipient(
    celery_worker, smtp_server, make_incident, vpn, reporter
):
    with mock.patch("notifications.handlers.delivery_enqueue"):  # rows only, not sent yet
        incident = make_incident(service=vpn)
        event = IncidentEvent.objects.get(incident=incident)
        assert wait_until(lambda: Notification.objects.filter(event=event).count() == 2)
    ids = list(Notification.objects.values_list("pk", flat=True))
    publishers = [threading.Thread(target=send_notifications.delay, args=(ids,)) for _ in range(4)]
    for thread in publishers:
        thread.start()
    for thread in publishers:
        thread.join()
    smtp_server.wait_for(2)
    IncidentEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    publish_event(event.pk)
    publish_event(event.pk)
    assert wait_until(
        lambda: IncidentEvent.objects.filter(pk=event.pk, dispatched_at__isnull=False).exists()
    )
    time.sleep(1.5)
    assert sorted(m["envelope_to"][0] for m in smtp_server.messages) == [
        reporter.email,
        "ops@example.com",
    ]
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
