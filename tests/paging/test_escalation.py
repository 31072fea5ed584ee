"""Escalation: who is paged when, and when paging stops (tasks inline, time travelled)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from incidents import services
from incidents.choices import Channel, EventKind, Level
from paging.models import Escalation, EscalationState, Page, PageStatus
from paging.services import escalation_fire

pytestmark = pytest.mark.django_db


def _paged(user):
    return Page.objects.filter(user=user, status=PageStatus.SENT)


def test_a_p1_for_a_team_with_a_policy_pages_step_one_at_once(policy, raise_p1, responder, manager):
    incident = raise_p1()

    page = _paged(responder).get()
    assert page.incident == incident and page.kind == "email" and page.step == 0
    assert not _paged(manager).exists()
    sent = [m for m in mail.outbox if m.to == [responder.email] and "Paged" in m.subject]
    assert len(sent) == 1
    assert incident.number in sent[0].subject
    assert "/ack/" in sent[0].body and "reply to this message" in sent[0].body.lower()
    assert sent[0].extra_headers["Message-ID"] == page.message_id


def test_step_two_pages_at_its_delay_and_not_before(policy, raise_p1, advance, manager):
    start = timezone.now()
    raise_p1()
    with time_machine.travel(start + timedelta(minutes=4, seconds=50)):
        advance()
    assert not _paged(manager).exists()
    with time_machine.travel(start + timedelta(minutes=5, seconds=5)):
        advance()
    assert _paged(manager).get().step == 1


def test_acknowledging_stops_every_later_step(
    policy, raise_p1, advance, responder, manager, django_capture_on_commit_callbacks
):
    start = timezone.now()
    incident = raise_p1()
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    with time_machine.travel(start + timedelta(minutes=30)):
        advance()
    assert not _paged(manager).exists()
    escalation = Escalation.objects.get(incident=incident)
    assert escalation.state == EscalationState.STOPPED
    assert escalation.stop_reason == "acknowledged"


def test_a_due_step_never_fires_after_an_acknowledgement_not_yet_dispatched(
    policy, raise_p1, responder, manager
):
    start = timezone.now()
    incident = raise_p1()
    # Acknowledged, but the event has not reached the worker yet: the step itself must see it.
    services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    escalation = Escalation.objects.get(incident=incident)
    with time_machine.travel(start + timedelta(minutes=6)):
        assert escalation_fire(escalation_id=escalation.pk) == []
    escalation.refresh_from_db()
    assert escalation.state == EscalationState.STOPPED
    assert not Page.objects.filter(user=manager).exists()


def test_resolving_cancels_a_page_still_waiting(
    policy, raise_p1, responder, django_capture_on_commit_callbacks
):
    from messaging.models import ContactMethod, ContactRule

    # The responder wants push at once and e-mail two minutes later (for every priority).
    push = ContactMethod.objects.create(
        user=responder, kind="push", label="phone", target="json://127.0.0.1:9/p"
    )
    email = ContactMethod.objects.create(
        user=responder, kind="email", label="mail", target=responder.email
    )
    ContactRule.objects.create(user=responder, contact_method=push, delay_minutes=0, priorities=[])
    ContactRule.objects.create(user=responder, contact_method=email, delay_minutes=2, priorities=[])
    incident = raise_p1()
    waiting = Page.objects.get(user=responder, kind="email")
    assert waiting.status == PageStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_start(incident=incident, actor=responder, via=Channel.ADMIN)
    waiting.refresh_from_db()
    assert waiting.status == PageStatus.CANCELLED


def test_a_low_priority_only_notifies_step_one_by_email(
    policy, raise_p1, advance, responder, manager
):
    start = timezone.now()
    incident = raise_p1(impact=Level.LOW, urgency=Level.LOW)
    assert incident.priority not in policy.page_priorities
    assert _paged(responder).get().kind == "email"
    with time_machine.travel(start + timedelta(hours=2)):
        advance()
    assert not _paged(manager).exists()
    assert Escalation.objects.get(incident=incident).state == EscalationState.EXHAUSTED


def test_the_policy_repeats_as_many_times_as_it_says(policy, raise_p1, advance, responder, manager):
    policy.repeat = 1
    policy.save()
    start = timezone.now()
    incident = raise_p1()
    for minutes in (5, 15, 20, 30, 60):
        with time_machine.travel(start + timedelta(minutes=minutes, seconds=1)):
            advance()
    # Two passes of two steps: each person paged twice, then nothing more.
    assert _paged(responder).count() == 2
    assert _paged(manager).count() == 2
    assert Escalation.objects.get(incident=incident).state == EscalationState.EXHAUSTED


def test_a_step_fired_twice_pages_once(policy, raise_p1, responder):
    incident = raise_p1()
    escalation = Escalation.objects.get(incident=incident)
    Escalation.objects.filter(pk=escalation.pk).update(step=0, cycle=0, due_at=timezone.now())
    escalation_fire(escalation_id=escalation.pk)
    assert Page.objects.filter(user=responder).count() == 1


def test_each_step_is_on_the_timeline_with_who_was_paged(policy, raise_p1, responder):
    from incidents.selectors import incident_timeline

    incident = raise_p1()
    entries = [e for e in incident_timeline(incident) if e.kind == "page"]
    titles = [e.title for e in entries]
    assert any(t.startswith("Escalation step 1 of Network") for t in titles)
    assert f"Paged {responder.get_full_name()} by email" in titles
    step = next(e for e in entries if e.title.startswith("Escalation step 1"))
    assert responder.username in step.body
    assert incident.events.filter(kind=EventKind.ESCALATED).count() == 1


def test_an_incident_for_a_team_without_a_policy_pages_nobody(raise_p1, team):
    raise_p1()
    assert not Page.objects.exists()
