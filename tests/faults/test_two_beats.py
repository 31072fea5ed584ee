"""Two beats at once (a rolling deploy) and restarted beats: every periodic task runs many
times over, from both, and each piece of work still happens once. The beats fire every
task each second; a real worker runs them against a real SMTP server."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.choices import Channel, EventKind, Status
from incidents.models import Incident, IncidentEvent
from integrations.services import integration_create
from itsm.celery import app
from notifications.models import DeliveryStatus, Notification
from reviews.models import ActionItem
from reviews.services import review_start
from tests.faults.conftest import start_beat
from tests.notifications.live import restore_catalogue, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def due_work(make_incident, service, responder, manager):
    """One piece of work for most periodic tasks, all due now."""
    restore_catalogue()
    app.conf.task_always_eager = True  # the setup's own messages are sent inline
    past = timezone.now() - timedelta(minutes=1)
    late = make_incident(title="SLA late", service=service, impact="high", urgency="high")
    services.incident_assign(incident=late, assignee=responder, actor=manager, via=Channel.API)
    Incident.objects.filter(pk=late.pk).update(response_warn_at=past, response_due=past)
    done = make_incident(title="Long resolved", service=service)
    services.incident_resolve(
        incident=done,
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Fixed.",
    )
    Incident.objects.filter(pk=done.pk).update(resolved_at=timezone.now() - timedelta(days=30))
    integration, _ = integration_create(
        kind="alertmanager", name="Cron", default_service=service, heartbeat_interval_minutes=1
    )
    type(integration).objects.filter(pk=integration.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    review = review_start(incident=done, actor=responder)
    ActionItem.objects.create(
        review=review,
        title="Add a probe",
        owner=responder,
        due_date=timezone.localdate() - timedelta(days=2),
    )
    lost = make_incident(title="Never published", service=service)
    Notification.objects.filter(incident=lost).update(
        status=DeliveryStatus.PENDING, due_at=timezone.now() - timedelta(minutes=5)
    )
    app.conf.task_always_eager = False
    return {"late": late, "done": done, "lost": lost}


def test_two_beats_racing_do_every_piece_of_work_once(
    celery_processes, smtp_server, tmp_path, due_work, responder
):
    smtp_server.messages.clear()
    env = {"EMAIL_HOST": smtp_server.host, "EMAIL_PORT": str(smtp_server.port)}
    celery_processes("worker", "--concurrency=2", "--loglevel=WARNING", **env)
    first = start_beat(celery_processes, tmp_path, "first", **env)
    second = start_beat(celery_processes, tmp_path, "second", **env)
    time.sleep(8)
    first.stop()  # a beat restart: the new one runs every task again at once
    start_beat(celery_processes, tmp_path, "first", **env)
    time.sleep(4)

    late, done, lost = due_work["late"], due_work["done"], due_work["lost"]
    assert wait_until(lambda: Incident.objects.get(pk=done.pk).status == Status.CLOSED, 30)
    assert wait_until(
        lambda: not Notification.objects.exclude(status=DeliveryStatus.SENT).exists(), 60
    )
    second.stop()
    time.sleep(1)
    kinds = Counter(IncidentEvent.objects.filter(incident=late).values_list("kind", flat=True))
    assert (kinds[EventKind.SLA_WARNING], kinds[EventKind.SLA_BREACHED]) == (1, 1)
    assert IncidentEvent.objects.filter(incident=done, kind=EventKind.CLOSED).count() == 1
    assert Incident.objects.filter(title__icontains="heartbeat").count() == 1
    sent = Counter((m["envelope_to"][0], m["subject"]) for m in smtp_server.messages)
    assert [key for key, count in sent.items() if count > 1] == []
    assert sum(1 for to, subject in sent if "action item" in subject.lower()) == 1
    assert sum(1 for to, subject in sent if lost.number in subject) == 2
    assert any("SLA breached" in subject for _, subject in sent)
