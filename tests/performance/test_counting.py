"""Counts that stop at a cap: exact below it, "N+" above it, never a full scan."""

import pytest

from incidents.counting import CappedPaginator, Tally, capped_counts
from incidents.models import Incident
from incidents.querysets import sla_at_risk_q, sla_breached_q, sla_state_of

pytestmark = pytest.mark.django_db
HOLD = "awaiting_user"  # a seeded hold reason that pauses the resolution clock


def test_a_tally_reads_exactly_below_its_cap_and_with_a_plus_above_it():
    assert str(Tally(999, cap=1000)) == "999"
    assert str(Tally(1000, cap=1000)) == "1000"
    assert str(Tally(5000, cap=1000)) == "1,000+"
    assert Tally(5000, cap=1000) == 1001 and Tally(5000, cap=1000).capped


def test_capped_counts_answer_every_name_in_one_statement(
    make_incident, service, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("incidents.counting.COUNT_CAP", 3)
    for _ in range(5):
        make_incident(service=service, impact="high", urgency="high")
    make_incident(service=service, impact="low", urgency="low")
    with django_assert_num_queries(1):
        counts = capped_counts(
            {
                "all": Incident.objects.all(),
                "low": Incident.objects.filter(impact="low"),
                "none": Incident.objects.filter(title="nothing like this"),
            }
        )
    assert counts == {"all": 4, "low": 1, "none": 0}
    assert str(counts["all"]) == "3+" and str(counts["low"]) == "1"


def test_the_list_paginator_stops_counting_at_its_cap(make_incident, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "LIST_CAP", 4)
    for _ in range(6):
        make_incident()
    paginator = CappedPaginator(Incident.objects.order_by("pk"), 2)
    assert paginator.count == 5 and str(paginator.count) == "4+"
    assert paginator.num_pages == 3


@pytest.mark.parametrize("hours_ago", [0, 3, 30, 300])
@pytest.mark.parametrize("step", ["new", "acknowledged", "on_hold", "resolved"])
def test_the_sla_state_of_an_incident_in_memory_agrees_with_the_database(
    make_incident, service, responder, hours_ago, step
):
    from datetime import timedelta

    from django.utils import timezone

    from incidents import services
    from incidents.choices import Channel

    incident = make_incident(
        service=service,
        impact="high",
        urgency="high",
        opened_at=timezone.now() - timedelta(hours=hours_ago),
    )
    if step in ("acknowledged", "on_hold", "resolved"):
        incident = services.incident_acknowledge(
            incident=incident, actor=responder, via=Channel.ADMIN
        )
    if step == "on_hold":
        incident = services.incident_hold(
            incident=incident, actor=responder, via=Channel.ADMIN, reason=HOLD
        )
    if step == "resolved":
        incident = services.incident_resolve(
            incident=incident,
            actor=responder,
            via=Channel.ADMIN,
            resolution_code="fixed",
            resolution_notes="Fixed.",
        )
    now = timezone.now()
    in_db = Incident.objects.filter(pk=incident.pk)
    expected = (
        in_db.filter(sla_breached_q(now)).exists(),
        in_db.filter(sla_at_risk_q(now)).exists(),
    )
    assert sla_state_of(Incident.objects.get(pk=incident.pk), now) == expected
