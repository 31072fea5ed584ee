from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from incidents import services
from incidents.choices import Channel, EventKind, Status
from incidents.models import Incident, SLAPolicy
from incidents.sla import add_business_time, sla_ledger

pytestmark = pytest.mark.django_db

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_priority_matrix_defaults_follow_itil(make_incident):
    expected = {
        ("high", "high"): "P1",
        ("high", "medium"): "P2",
        ("medium", "high"): "P2",
        ("high", "low"): "P3",
        ("medium", "medium"): "P3",
        ("low", "high"): "P3",
        ("medium", "low"): "P4",
        ("low", "medium"): "P4",
        ("low", "low"): "P5",
    }
    for (impact, urgency), priority in expected.items():
        assert make_incident(impact=impact, urgency=urgency).priority == priority


def test_manager_changes_to_the_matrix_apply_without_code(make_incident):
    from incidents.models import PriorityRule

    PriorityRule.objects.filter(impact="low", urgency="low").update(priority="P4")
    assert make_incident(impact="low", urgency="low").priority == "P4"


@pytest.mark.parametrize(
    ("impact", "urgency", "response", "resolution"),
    [
        ("high", "high", timedelta(minutes=15), timedelta(hours=4)),
        ("high", "medium", timedelta(minutes=30), timedelta(hours=8)),
        ("medium", "medium", timedelta(hours=4), timedelta(days=3)),
        ("low", "medium", timedelta(days=1), timedelta(days=5)),
        ("low", "low", timedelta(days=2), timedelta(days=10)),
    ],
)
def test_due_times_follow_the_policy_of_the_priority(
    make_incident, impact, urgency, response, resolution
):
    incident = make_incident(impact=impact, urgency=urgency)
    assert incident.response_due - incident.opened_at == response
    assert incident.resolution_due - incident.opened_at == resolution


def test_raising_priority_recomputes_due_times_from_opening(make_incident, responder):
    with time_machine.travel(MONDAY_9, tick=False):
        incident = make_incident(impact="low", urgency="low")
    with time_machine.travel(MONDAY_9 + timedelta(hours=1), tick=False):
        services.incident_update(
            incident=incident, actor=responder, via=Channel.ADMIN, impact="high", urgency="high"
        )
    incident.refresh_from_db()
    assert incident.priority == "P1"
    assert incident.response_due == MONDAY_9 + timedelta(minutes=15)
    assert incident.resolution_due == MONDAY_9 + timedelta(hours=4)
    event = incident.events.get(kind=EventKind.PRIORITY_CHANGED)
    assert event.data == {"from": "P5", "to": "P1", "raised": True}


def test_hold_awaiting_user_pauses_resolution_clock_and_resume_moves_due_time(
    make_incident, responder
):
    with time_machine.travel(MONDAY_9, tick=False):
        incident = make_incident(impact="high", urgency="high")  # P1: resolve within 4 h
        services.incident_start(incident=incident, actor=responder, via=Channel.ADMIN)
    with time_machine.travel(MONDAY_9 + timedelta(hours=1), tick=False):
        services.incident_hold(
            incident=incident, actor=responder, via=Channel.ADMIN, reason="awaiting_user"
        )
    with time_machine.travel(MONDAY_9 + timedelta(hours=6), tick=False):
        # 6 h after opening but paused for 5 of them: not breached.
        assert not Incident.objects.breached().filter(pk=incident.pk).exists()
        services.incident_resume(incident=incident, actor=responder, via=Channel.ADMIN)
    incident.refresh_from_db()
    assert incident.sla_paused_seconds == 5 * 3600
    assert incident.resolution_due == MONDAY_9 + timedelta(hours=9)
    with time_machine.travel(MONDAY_9 + timedelta(hours=9, minutes=1), tick=False):
        assert Incident.objects.breached().filter(pk=incident.pk).exists()


def test_hold_awaiting_vendor_does_not_pause_the_clock(make_incident, responder):
    with time_machine.travel(MONDAY_9, tick=False):
        incident = make_incident(impact="high", urgency="high")
        services.incident_start(incident=incident, actor=responder, via=Channel.ADMIN)
        services.incident_hold(
            incident=incident, actor=responder, via=Channel.ADMIN, reason="awaiting_vendor"
        )
    with time_machine.travel(MONDAY_9 + timedelta(hours=5), tick=False):
        assert Incident.objects.breached().filter(pk=incident.pk).exists()


def test_response_breach_and_at_risk_are_queryable(make_incident, responder):
    with time_machine.travel(MONDAY_9, tick=False):
        incident = make_incident(impact="high", urgency="high")  # respond within 15 min
    with time_machine.travel(MONDAY_9 + timedelta(minutes=12), tick=False):
        assert Incident.objects.at_risk().filter(pk=incident.pk).exists()
        row = Incident.objects.with_sla_state().get(pk=incident.pk)
        assert row.sla_at_risk_now and not row.sla_breached_now
    with time_machine.travel(MONDAY_9 + timedelta(minutes=16), tick=False):
        row = Incident.objects.with_sla_state().get(pk=incident.pk)
        assert row.sla_breached_now and not row.sla_at_risk_now
        services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    # Acknowledged late stays breached after the fact.
    assert Incident.objects.breached().filter(pk=incident.pk).exists()


def test_sla_check_records_warning_and_breach_once_even_when_run_twice(make_incident):
    with time_machine.travel(MONDAY_9, tick=False):
        incident = make_incident(impact="high", urgency="high")
    with time_machine.travel(MONDAY_9 + timedelta(minutes=20), tick=False):
        first = services.check_sla_clocks()
        second = services.check_sla_clocks()
    kinds = sorted(
        incident.events.filter(
            kind__in=[EventKind.SLA_WARNING, EventKind.SLA_BREACHED]
        ).values_list("kind", "data__clock")
    )
    assert kinds == [("sla_breached", "response"), ("sla_warning", "response")]
    assert (first, second) == (2, 0)


def test_business_hours_policy_counts_only_working_time():
    policy = SLAPolicy(
        priority="P3",
        response_minutes=240,
        resolution_minutes=600,
        business_hours_only=True,
        business_day_start=time(9),
        business_day_end=time(17),
        business_weekdays="0,1,2,3,4",
    )
    friday_4pm = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    # 1 h left on Friday, then Monday 9:00 + 3 h.
    assert add_business_time(friday_4pm, 240, policy) == datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert add_business_time(saturday, 60, policy) == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_ledger_explains_pause_and_resolution(make_incident, responder):
    with time_machine.travel(MONDAY_9, tick=False):
        incident = make_incident(impact="high", urgency="high")
        services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    with time_machine.travel(MONDAY_9 + timedelta(minutes=30), tick=False):
        services.incident_start(incident=incident, actor=responder, via=Channel.ADMIN)
        services.incident_hold(
            incident=incident, actor=responder, via=Channel.ADMIN, reason="awaiting_user"
        )
    with time_machine.travel(MONDAY_9 + timedelta(hours=3, minutes=42), tick=False):
        services.incident_resume(incident=incident, actor=responder, via=Channel.ADMIN)
    with time_machine.travel(MONDAY_9 + timedelta(hours=4), tick=False):
        services.incident_resolve(
            incident=incident,
            actor=responder,
            via=Channel.ADMIN,
            resolution_code="fixed",
            resolution_notes="Done.",
        )
    incident.refresh_from_db()
    lines = [entry.what for entry in sla_ledger(incident)]
    assert lines == [
        "Clocks started",
        "Responded in time",
        "Paused: Awaiting the user",
        "Resumed after 3 h 12 min",
        "Resolved in time",
    ]


def test_time_spent_resolved_does_not_count_after_reopen(make_incident, reporter, responder):
    with time_machine.travel(MONDAY_9, tick=False):
        incident = make_incident(impact="high", urgency="high")
    with time_machine.travel(MONDAY_9 + timedelta(hours=1), tick=False):
        services.incident_resolve(
            incident=incident,
            actor=responder,
            via=Channel.ADMIN,
            resolution_code="fixed",
            resolution_notes="Done.",
        )
    with time_machine.travel(MONDAY_9 + timedelta(hours=3), tick=False):
        services.incident_reopen(incident=incident, actor=reporter, via=Channel.PORTAL)
    incident.refresh_from_db()
    assert incident.status == Status.IN_PROGRESS
    assert incident.resolution_due == MONDAY_9 + timedelta(hours=6)
