"""End to end on PostgreSQL, Redis, a real Celery worker and a real SMTP server: a P1 from
Alertmanager that names no known service reaches the fallback team's on-call person within
a minute; step 2 pages at its delay and not before; the acknowledge link stops the rest; and
two beat processes running at once fire each step once."""

import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from incidents.models import Incident, Team
from incidents.roles import MANAGERS, RESPONDERS
from integrations import services as integration_services
from paging.models import Escalation, EscalationPolicy, EscalationStep, Page
from paging.tasks import advance_escalations

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "alertmanager" / "firing.json"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fallback_paging(make_user):
    """The fallback team, whose schedule has `oncall1` on call all week, and a policy:
    step 1 the schedule's on-call, step 2 (five minutes later) the duty manager; twice."""
    from oncall.services import LayerSpec, schedule_create

    oncall = make_user("oncall1", group=RESPONDERS, staff=True)
    duty = make_user("duty", group=MANAGERS, staff=True)
    team, _ = Team.objects.get_or_create(
        slug=settings.ITSM_FALLBACK_TEAM, defaults={"name": "Service desk"}
    )
    week = LayerSpec(
        start=timezone.now() - timedelta(days=1),
        shift_length=7,
        shift_unit="days",
        participants=[oncall],
    )
    schedule = schedule_create(
        name="Desk primary", team=team, time_zone="Europe/Berlin", layers=[week], actor=duty
    )
    policy = EscalationPolicy.objects.create(team=team, repeat=1)
    first = EscalationStep.objects.create(policy=policy, position=0, delay_minutes=5)
    first.schedules.add(schedule)
    second = EscalationStep.objects.create(policy=policy, position=1, delay_minutes=5)
    second.users.add(duty)
    return oncall, duty


def _post_sample(client) -> str:
    integration, token = integration_services.integration_create(kind="alertmanager", name="prom")
    assert integration.default_service is None and integration.default_team is None
    response = client.post(
        "/api/v1/integrations/alertmanager/",
        SAMPLE.read_bytes(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in (200, 201, 202), response.content
    return json.loads(SAMPLE.read_text())["commonLabels"]["service"]


def test_an_unrouted_p1_pages_the_fallback_on_call_within_a_minute_and_the_link_stops_it(
    celery_worker, smtp_server, client, fallback_paging
):
    assert connection.vendor == "postgresql"
    oncall, duty = fallback_paging
    start, began = timezone.now(), time.monotonic()
    label = _post_sample(client)
    incident = Incident.objects.get()
    assert incident.service is None and label  # "checkout" names no service here
    assert incident.team.slug == settings.ITSM_FALLBACK_TEAM and incident.priority == "P1"

    first = _wait_for_page(smtp_server, oncall.email, timeout=60)
    assert time.monotonic() - began < 60
    assert incident.number in first["subject"]
    assert not smtp_server.to(duty.email)

    with time_machine.travel(start + timedelta(minutes=4, seconds=45), tick=True):
        advance_escalations()
    time.sleep(1)
    assert not smtp_server.to(duty.email), "step 2 paged before its delay"
    with time_machine.travel(start + timedelta(minutes=5, seconds=15), tick=True):
        advance_escalations()
        _wait_for_page(smtp_server, duty.email, timeout=30)

    link = re.search(r"https?://[^/\s]+(/ack/[^/\s]+/)", _text(first)).group(1)
    assert client.post(link).status_code == 200
    incident.refresh_from_db()
    assert incident.acknowledged_at and incident.history.latest().history_user == oncall
    pages_before = len(smtp_server.messages)
    with time_machine.travel(start + timedelta(minutes=40), tick=True):
        advance_escalations()  # the second pass would page oncall1 again at minute 10
        time.sleep(2)
    assert Escalation.objects.get(incident=incident).state == "stopped"
    assert len([m for m in smtp_server.messages[pages_before:] if "Paged" in m["subject"]]) == 0


def _text(message) -> str:
    return message["message"].get_body(preferencelist=("plain",)).get_content()


def _wait_for_page(inbox, address: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pages = [m for m in inbox.to(address) if "Paged" in m["subject"]]
        if pages:
            return pages[0]
        time.sleep(0.1)
    pytest.fail(f"no page reached {address} within {timeout} s")


BEAT = """
import os, sys, time
import django
django.setup()
from django.conf import settings
from itsm.celery import app
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
app.conf.task_always_eager = True
from paging.tasks import advance_escalations
start_at = float(sys.argv[1])
while time.time() < start_at:
    time.sleep(0.001)
for _ in range(40):
    advance_escalations()
"""


def test_two_beat_processes_running_at_once_fire_each_step_once(make_user, team, responder):
    """Two OS processes, each running the beat task in a loop against the same database,
    released at the same instant on a due step."""
    from incidents import services
    from incidents.choices import Channel, Level

    service = team.services.create(name="Mail", slug="mail")
    incident = services.incident_create(
        title="Mail down",
        reporter=responder,
        via=Channel.API,
        impact=Level.HIGH,
        urgency=Level.HIGH,
        service=service,
    )
    # The policy comes after the incident (so its own outbox run pages nobody); the
    # escalation starts here, due now, for the two beats to race on.
    from paging.services import escalation_start

    policy = EscalationPolicy.objects.create(team=team)
    step = EscalationStep.objects.create(policy=policy, position=0, delay_minutes=5)
    step.users.add(responder)
    escalation_start(incident=incident, policy=policy, reason="created")
    assert not Page.objects.exists()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itsm.settings",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": "memory://",
    }
    release = str(time.time() + 3)
    beats = [
        subprocess.Popen([sys.executable, "-c", BEAT, release], cwd=ROOT, env=env) for _ in range(2)
    ]
    assert [beat.wait(timeout=120) for beat in beats] == [0, 0]
    assert Page.objects.filter(incident=incident, user=responder).count() == 1
    assert incident.events.filter(kind="escalated").count() == 1


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
