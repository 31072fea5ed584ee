"""End to end with time travel: SLA warnings and breaches escalate to the assignee, the team
lead and then the incident managers; overdue public updates remind the assignee, then the
lead. The periodic checks are safe to run twice at once."""

import threading
from datetime import timedelta

import pytest
import time_machine

from incidents import services
from incidents.choices import Channel
from incidents.tasks import check_sla_clocks
from tests.notifications.live import restore_catalogue, subjects, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def p1(celery_worker, smtp_server, make_incident, vpn, responder, manager):
    """A critical incident assigned to `responder`, initial messages already delivered."""
    restore_catalogue()
    incident = make_incident(service=vpn, impact="high", urgency="high")
    services.incident_assign(incident=incident, assignee=responder, actor=manager, via=Channel.API)
    smtp_server.wait_for(3)
    smtp_server.messages.clear()
    incident.refresh_from_db()
    assert incident.priority == "P1"
    return incident


def run_beat_twice_at_once():
    """Two beat runs of the SLA check racing each other, as after a beat restart."""
    threads = [threading.Thread(target=check_sla_clocks.delay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_a_response_sla_warns_assignee_and_lead_then_a_breach_escalates_to_managers(
    p1, smtp_server, responder, lead, manager, duty_manager, reporter
):
    number = p1.number
    with time_machine.travel(p1.opened_at + timedelta(minutes=12)):
        run_beat_twice_at_once()
        smtp_server.wait_for(2)
    assert subjects(smtp_server, responder.email) == [f"[{number}] SLA at risk: VPN down"]
    assert subjects(smtp_server, lead.email) == [f"[{number}] SLA at risk: VPN down"]
    assert subjects(smtp_server, manager.email) == []

    with time_machine.travel(p1.opened_at + timedelta(minutes=16)):
        run_beat_twice_at_once()
        smtp_server.wait_for(6)
    breach = [f"[{number}] SLA at risk: VPN down", f"[{number}] SLA breached: VPN down"]
    assert subjects(smtp_server, responder.email) == breach
    assert subjects(smtp_server, lead.email) == breach
    assert subjects(smtp_server, manager.email) == [f"[{number}] SLA breached: VPN down"]
    assert subjects(smtp_server, duty_manager.email) == [f"[{number}] SLA breached: VPN down"]
    assert subjects(smtp_server, reporter.email) == []
    assert wait_until(lambda: len(smtp_server.messages) == 6, timeout=1.5)


def test_an_overdue_public_update_reminds_the_assignee_then_the_team_lead(
    p1, smtp_server, responder, lead
):
    services.incident_acknowledge(incident=p1, actor=responder, via=Channel.ADMIN)
    overdue = f"[{p1.number}] Public update overdue: VPN down"
    with time_machine.travel(p1.next_update_due + timedelta(minutes=1)):
        run_beat_twice_at_once()
        smtp_server.wait_for(1)
    assert subjects(smtp_server, responder.email) == [overdue]
    assert subjects(smtp_server, lead.email) == []
    with time_machine.travel(p1.next_update_due + timedelta(minutes=31)):
        run_beat_twice_at_once()
        smtp_server.wait_for(2)
    assert subjects(smtp_server, responder.email) == [overdue]
    assert subjects(smtp_server, lead.email) == [overdue]
