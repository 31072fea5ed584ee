"""A worker SIGKILLed mid-batch, on the production topology (a prefork worker, beat, a
real SMTP server): another worker sends everything the dead one had claimed within two
minutes of starting, with at most one duplicate (the message accepted in the instant
before the kill) and none for a row recorded as sent. The claim lease is shortened to
10 seconds here to keep the test short; production's is 60."""

import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from incidents import services
from incidents.choices import Channel
from notifications.models import DeliveryStatus, Notification
from tests.notifications.live import restore_catalogue, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WATCHERS = 200
LEASE_SECONDS = 10


@pytest.fixture
def watched_incident(make_incident, service, password):
    restore_catalogue()
    incident = make_incident(service=service)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"watcher{i}", email=f"watcher{i}@example.com")
        for i in range(WATCHERS)
    )
    incident.watchers.add(*users)
    return incident


def test_a_worker_killed_mid_batch_leaves_nothing_unsent_for_long(
    celery_processes, smtp_server, watched_incident, responder, record_property
):
    smtp_server.delay = 0.02  # a mail server taking its time: the batch lasts seconds
    env = {
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_USE_TLS": "0",
        "ITSM_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    celery_processes("beat", "--loglevel=WARNING", **env)
    first = celery_processes("worker", "--concurrency=1", "--loglevel=WARNING", **env)
    smtp_server.wait_for(3, timeout=60)  # the incident's own messages: the worker is up
    smtp_server.messages.clear()

    services.incident_comment(
        incident=watched_incident,
        author=responder,
        body="Gateway restarted.",
        via=Channel.ADMIN,
        public=True,
    )
    assert len(smtp_server.wait_for(30, timeout=60)) >= 30
    first.kill()
    killed_at = time.monotonic()
    sent_before = len(smtp_server.messages)
    stuck = Notification.objects.filter(status=DeliveryStatus.SENDING).count()

    second = celery_processes("worker", "--concurrency=1", "--loglevel=WARNING", **env)
    expected = Notification.objects.filter(event__kind="commented").count()
    assert wait_until(
        lambda: not Notification.objects.exclude(status=DeliveryStatus.SENT).exists(),
        timeout=150,
        interval=0.5,
    )
    last = time.monotonic()
    counts = Counter(m["envelope_to"][0] for m in smtp_server.messages)
    duplicated = sum(n - 1 for n in counts.values())
    figures = {
        "expected": expected,
        "received": len(counts),
        "duplicated": duplicated,
        "sent before the kill": sent_before,
        "left sending by the kill": stuck,
        "seconds from the new worker's start to the last": round(last - second.started_at, 1),
        "seconds from the kill to the last": round(last - killed_at, 1),
    }
    record_property("worker_kill_figures", figures)
    print("worker SIGKILL:", figures)
    assert stuck > 0  # the kill really caught a batch in flight
    assert expected == WATCHERS + 1 and len(counts) == expected
    assert duplicated <= 1
    assert last - second.started_at < 120
