"""End to end on PostgreSQL, Redis, a real Celery worker and a real SMTP server: a drill
pages and mails the people taking part, every subject prefixed [PRACTICE], while the
subscriber, the team mailbox, a responder on the policy who is not taking part, the
webhook receiver and the team's chat room get nothing; ending it stores its figures."""

import time

import pytest

from api.models import WebhookEndpoint
from drills.services import drill_end, drill_start
from incidents import services
from incidents.choices import Channel
from messaging.models import TeamChannel
from paging.models import EscalationPolicy, EscalationStep
from tests.notifications.live import restore_catalogue, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    restore_catalogue()


def test_a_drill_runs_for_its_participants_only_with_practice_subjects(
    celery_worker,
    smtp_server,
    receiver,
    manager,
    responder,
    bystander,
    subscriber,
    reporter,
    team,
    template,
):
    WebhookEndpoint.objects.create(name="Bridge", url=receiver.url("http", "hook"))
    TeamChannel.objects.create(
        team=team, name="Ops room", url=receiver.url("json", "room"), min_priority="P4"
    )
    policy = EscalationPolicy.objects.create(team=team, name="Network paging")
    step = EscalationStep.objects.create(policy=policy, position=0, delay_minutes=5)
    step.users.add(responder, bystander)

    drill = drill_start(
        manager=manager, template=template, participants=[responder], end_user=reporter
    )
    incident = drill.incident
    services.incident_declare_major(incident=incident, actor=manager, via=Channel.ADMIN)
    assert smtp_server.wait_for(1) and wait_until(lambda: smtp_server.to(responder.email))
    assert wait_until(lambda: smtp_server.to(reporter.email))
    services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    time.sleep(2)  # anything that should not come would arrive now

    to_responder = [m["subject"] for m in smtp_server.to(responder.email)]
    to_reporter = [m["subject"] for m in smtp_server.to(reporter.email)]
    assert to_responder and to_reporter
    assert all(s.startswith("[PRACTICE] ") for s in to_responder + to_reporter)
    assert any(incident.number in s for s in to_responder)
    everyone = {address for m in smtp_server.messages for address in m["envelope_to"]}
    assert everyone <= {responder.email, reporter.email, manager.email}
    for outsider in (subscriber.email, bystander.email, "network@example.com"):
        assert not smtp_server.to(outsider), outsider
    assert receiver.requests == []  # no webhook, no chat post

    drill = drill_end(drill=drill, actor=manager, went_well="Paged fast", to_change="Runbook")
    assert drill.engage_seconds is not None and drill.engage_seconds < 60
    assert drill.acknowledge_seconds is not None
