"""Pages by push and chat go through Apprise to a real local receiver, carrying the incident
number and the acknowledge link; a personal rule can delay e-mail behind push; the team's
chat channel hears each escalation step."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from messaging.models import ContactMethod, ContactRule, TeamChannel
from paging.models import Page, PageStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def push_first(responder, receiver):
    """The responder's rules: P1 by ntfy push at once, e-mail two minutes later."""
    push = ContactMethod.objects.create(
        user=responder, kind="push", label="Phone", target=receiver.url("ntfy", "oncall-agent")
    )
    email = ContactMethod.objects.create(
        user=responder, kind="email", label="Work mail", target=responder.email
    )
    ContactRule.objects.create(user=responder, contact_method=push, priorities=["P1"])
    ContactRule.objects.create(
        user=responder, contact_method=email, priorities=["P1"], delay_minutes=2
    )
    return push, email


def test_a_push_page_carries_the_number_and_a_working_acknowledge_link(
    policy, raise_p1, push_first, receiver, client, responder
):
    incident = raise_p1()
    [request] = receiver.wait_for(1)
    assert request.json["topic"] == "oncall-agent"  # ntfy names the topic in the body
    assert incident.number in request.text and incident.title in request.text
    link = re.search(r"https?://[^/\s]+(/ack/[^/\s]+/)", request.text).group(1)
    assert client.post(link).status_code == 200
    incident.refresh_from_db()
    assert incident.acknowledged_at is not None
    assert incident.history.latest().history_user == responder


def test_a_personal_rule_delays_email_behind_push(policy, raise_p1, push_first, advance, responder):
    start = timezone.now()
    raise_p1()
    assert Page.objects.get(user=responder, kind="push").status == PageStatus.SENT
    email = Page.objects.get(user=responder, kind="email")
    assert email.status == PageStatus.PENDING
    assert not [m for m in mail.outbox if "Paged" in m.subject]
    with time_machine.travel(start + timedelta(minutes=2, seconds=5)):
        advance()
    email.refresh_from_db()
    assert email.status == PageStatus.SENT
    assert [m.to for m in mail.outbox if "Paged" in m.subject] == [[responder.email]]


def test_the_teams_chat_channel_hears_each_escalation_step(
    policy, raise_p1, receiver, team, django_capture_on_commit_callbacks
):
    TeamChannel.objects.create(
        team=team, name="#network-alerts", url=receiver.url("json", "network"), min_priority="P2"
    )
    incident = raise_p1()
    texts = [r.text for r in receiver.wait_for(2)]
    assert any("escalation step 1" in text and incident.number in text for text in texts)
    assert any(incident.number in text and "escalation" not in text for text in texts)  # new P1
