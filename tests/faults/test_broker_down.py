"""The broker down for 30 seconds while incidents come in through the API, the portal and
Alertmanager: every request succeeds, nothing is lost, and once Redis is back every
acknowledgement goes out once (the event outbox and the delivery inbox are swept; nothing
is sent twice)."""

import json
import time
from collections import Counter

import pytest

from api.services import api_token_create
from incidents.models import Incident
from integrations.models import Delivery
from integrations.services import integration_create
from notifications.models import DeliveryStatus, Notification
from tests.faults.conftest import database_url, portal_report, session_headers, start_beat
from tests.fixtures.faults import AppServer, PrivateRedis
from tests.integrations.conftest import ALERTMANAGER_URL, generated
from tests.notifications.live import restore_catalogue, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = 30


@pytest.fixture
def broker(tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def web(broker, tmp_path, settings):
    from tests.faults.conftest import ROOT, SECRET_KEY

    settings.SECRET_KEY = SECRET_KEY
    server = AppServer(
        tmp_path, database_url(), SECRET_KEY=SECRET_KEY, CELERY_BROKER_URL=broker.url
    )
    server.start(ROOT)
    yield server
    server.stop()


def create_through_every_door(web, doors, service, round_: int) -> list[int]:
    """One incident each through the API, the portal and Alertmanager; their statuses."""
    api = json.dumps({"title": f"API {round_}", "service": "vpn"}).encode()
    headers = {**doors["api"], "Content-Type": "application/json"}
    alert = json.dumps(generated(f"Alert{round_}", {"fingerprint": f"f{round_}"})).encode()
    return [
        web.request("POST", "/api/v1/incidents/", api, **headers)[0],
        portal_report(web, doors["portal"], f"Portal {round_}", service)[0],
        web.request("POST", ALERTMANAGER_URL, alert, **doors["alerts"])[0],
    ]


def test_incidents_created_while_the_broker_is_down_are_all_acknowledged_once(
    celery_processes, smtp_server, broker, web, tmp_path, service, reporter, responder
):
    restore_catalogue()
    _, api_token = api_token_create(user=responder, name="ops bot")
    _, alert_token = integration_create(kind="alertmanager", name="Prom", default_service=service)
    doors = {
        "portal": session_headers(reporter),
        "api": {"Authorization": f"Bearer {api_token}"},
        "alerts": {"Authorization": f"Bearer {alert_token}", "Content-Type": "application/json"},
    }
    env = {
        "CELERY_BROKER_URL": broker.url,
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
    }
    celery_processes("worker", "--concurrency=2", "--loglevel=ERROR", **env)
    start_beat(celery_processes, tmp_path, "beat", **env)

    broker.stop()
    down_at, statuses, latencies = time.monotonic(), [], []
    for round_ in range(2):
        started = time.monotonic()
        statuses += create_through_every_door(web, doors, service, round_)
        latencies.append(round((time.monotonic() - started) / 3, 2))
    time.sleep(max(0, OUTAGE_SECONDS - (time.monotonic() - down_at)))
    broker.start()
    back_at = time.monotonic()

    assert statuses == [201, 302, 200] * 2
    # The alerts were accepted and wait in the inbox; the sweep drains them once Redis is back.
    assert Incident.objects.count() == 4
    assert Delivery.objects.waiting().count() == 2
    assert wait_until(lambda: Incident.objects.count() == 6, timeout=60, interval=0.5)
    assert not Delivery.objects.exists()
    created = Notification.objects.filter(event__kind="created")
    assert wait_until(
        lambda: created.count() >= 6 and not created.exclude(status=DeliveryStatus.SENT).exists(),
        timeout=90,
        interval=0.5,
    )
    recovered = round(time.monotonic() - back_at, 1)
    time.sleep(2)  # anything sent twice would arrive now
    received = Counter((m["envelope_to"][0], m["subject"]) for m in smtp_server.messages)
    expected = Counter(created.values_list("address", "subject"))
    print(f"broker down: request seconds {latencies}, all acknowledged {recovered}s after")
    assert received == expected
    assert all(count == 1 for count in received.values())
