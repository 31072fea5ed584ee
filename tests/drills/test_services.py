"""Starting and ending a drill: who may, what the practice incident carries, the review and
the figures of the exercise."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from drills.models import Drill
from drills.services import drill_end, drill_start
from incidents import services
from incidents.choices import Channel, Status
from incidents.exceptions import DomainError, NotPermitted

pytestmark = pytest.mark.django_db


def test_a_drill_from_a_template_makes_a_practice_incident_with_its_checklist(
    start_drill, template, manager, responder
):
    drill = start_drill(template=template)
    incident = drill.incident
    assert incident.practice is True
    assert (incident.title, incident.priority, incident.service) == (
        "VPN concentrator down",
        "P1",
        template.service,
    )
    assert incident.reporter == manager and drill.started_by == manager
    assert list(drill.participants.all()) == [responder]
    assert [t.text for t in incident.tasks.all()] == ["Check the concentrator", "Fail over"]
    assert all(t.template == template for t in incident.tasks.all())


def test_a_drill_from_a_plan_copies_its_steps_with_the_lead_as_owner(start_drill, plan, team):
    incident = start_drill(plan=plan).incident
    assert incident.title == "Drill: VPN response" and incident.team == team
    assert [(t.text, t.owner) for t in incident.tasks.all()] == [
        ("Open a bridge call", team.lead),
        ("Post a status update", team.lead),
        ("Page vendor", team.lead),
    ]


def test_the_incident_is_practice_from_its_first_history_row(start_drill, template):
    incident = start_drill(template=template).incident
    first = incident.history.order_by("history_date").first()
    assert first.practice is True
    assert first.history_change_reason == "Drill started"


def test_only_incident_managers_may_start_a_drill(template, responder, other_responder):
    with pytest.raises(NotPermitted):
        drill_start(manager=responder, template=template, participants=[other_responder])
    assert not Drill.objects.exists()


@pytest.mark.parametrize("which", ["both", "neither"])
def test_a_drill_needs_exactly_one_plan_or_template(manager, responder, plan, template, which):
    chosen = {"plan": plan, "template": template} if which == "both" else {}
    with pytest.raises(DomainError, match="either a response plan or an incident template"):
        drill_start(manager=manager, participants=[responder], **chosen)


def test_a_drill_needs_participants(manager, template):
    with pytest.raises(DomainError, match="at least one participant"):
        drill_start(manager=manager, template=template, participants=[])


def test_an_included_end_user_reports_the_practice_incident(start_drill, template, reporter):
    drill = start_drill(template=template, end_user=reporter)
    assert drill.incident.reporter == reporter and drill.include_end_user == reporter


def test_ending_a_drill_stores_the_review_and_the_figures_and_cancels_the_incident(
    manager, responder, template, deliver
):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False), deliver():
        drill = drill_start(manager=manager, template=template, participants=[responder])
    incident = drill.incident
    with time_machine.travel(start + timedelta(minutes=4), tick=False), deliver():
        services.incident_acknowledge(incident=incident, actor=responder, via=Channel.ADMIN)
    incident.tasks.filter(position=0).update(done=True)
    with time_machine.travel(start + timedelta(minutes=30), tick=False), deliver():
        drill = drill_end(
            drill=drill, actor=manager, went_well=" Quick answer ", to_change="Faster failover"
        )
    drill.refresh_from_db()
    assert (drill.went_well, drill.to_change) == ("Quick answer", "Faster failover")
    assert drill.ended_at == start + timedelta(minutes=30)
    assert drill.engage_seconds == 0  # paged at the start (sent inline)
    assert drill.acknowledge_seconds == 240
    assert (drill.checklist_done, drill.checklist_total, drill.checklist_percent) == (1, 2, 50)
    incident.refresh_from_db()
    assert incident.status == Status.CANCELLED


def test_a_drill_nobody_answered_has_no_time_to_acknowledge(start_drill, template, manager):
    drill = drill_end(drill=start_drill(template=template), actor=manager)
    assert drill.acknowledge_seconds is None and drill.checklist_percent == 0


def test_a_drill_ends_once(start_drill, template, manager):
    drill = start_drill(template=template)
    drill_end(drill=drill, actor=manager)
    with pytest.raises(DomainError, match="already ended"):
        drill_end(drill=drill, actor=manager)


def test_only_incident_managers_may_end_a_drill(start_drill, template, responder):
    drill = start_drill(template=template)
    with pytest.raises(NotPermitted):
        drill_end(drill=drill, actor=responder)
    drill.refresh_from_db()
    assert drill.ended_at is None
