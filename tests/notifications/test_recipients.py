"""Who is told what, checked on the messages actually sent (locmem backend)."""

from datetime import timedelta

import pytest
from django.core import mail

from incidents import services
from incidents.choices import Channel, EventKind
from incidents.models import IncidentEvent
from notifications.models import NotificationPreference, NotificationRule
from notifications.recipients import recipients_for
from tests.notifications.conftest import sent_to, subjects_to

pytestmark = pytest.mark.django_db

ADMIN = Channel.ADMIN
RESOLVE = {"resolution_code": "fixed", "resolution_notes": "Restarted the VPN gateway."}


@pytest.fixture
def vpn_incident(deliver, make_incident, vpn, responder, manager):
    with deliver():
        incident = make_incident(service=vpn)
        services.incident_assign(incident=incident, assignee=responder, actor=manager, via=ADMIN)
        services.incident_acknowledge(incident=incident, actor=responder, via=ADMIN)
    mail.outbox.clear()
    incident.refresh_from_db()
    return incident


def test_a_new_incident_acknowledges_the_reporter_and_tells_the_team_mailbox(
    deliver, make_incident, vpn, reporter
):
    with deliver():
        incident = make_incident(service=vpn)
    assert subjects_to(reporter.email) == [f"[{incident.number}] Received: VPN down"]
    assert subjects_to("ops@example.com") == [f"[{incident.number}] New P3 incident: VPN down"]
    assert len(mail.outbox) == 2
    assert "next" in sent_to(reporter.email)[0].body.lower()


def test_the_assignee_hears_of_the_assignment_but_not_the_person_who_assigned(
    deliver, make_incident, vpn, responder, manager
):
    with deliver():
        incident = make_incident(service=vpn)
    mail.outbox.clear()
    with deliver():
        services.incident_assign(incident=incident, assignee=responder, actor=manager, via=ADMIN)
    assert subjects_to(responder.email) == [f"[{incident.number}] Assigned to you: VPN down"]
    assert subjects_to(manager.email) == []


def test_taking_an_incident_oneself_sends_nothing(deliver, make_incident, vpn, responder):
    with deliver():
        incident = make_incident(service=vpn)
    mail.outbox.clear()
    with deliver():
        services.incident_assign(incident=incident, assignee=responder, actor=responder, via=ADMIN)
    assert mail.outbox == []


def test_an_incident_assigned_to_a_team_without_a_person_goes_to_the_team_address(
    deliver, make_incident, ops_team, manager
):
    with deliver():
        incident = make_incident()
    with deliver():
        services.incident_assign(incident=incident, team=ops_team, actor=manager, via=ADMIN)
    assert subjects_to("ops@example.com") == [
        f"[{incident.number}] Assigned to Operations: VPN down"
    ]


def test_a_public_update_reaches_reporter_and_watchers_but_not_its_author(
    deliver, vpn_incident, reporter, other_reporter, responder
):
    with deliver():
        services.incident_watch(
            incident=vpn_incident, user=other_reporter, actor=other_reporter, via=ADMIN
        )
        services.incident_comment(
            incident=vpn_incident,
            author=responder,
            body="Gateway restarting.",
            via=ADMIN,
            public=True,
        )
    update = f"[{vpn_incident.number}] Update: VPN down"
    assert subjects_to(reporter.email) == [update]
    assert subjects_to(other_reporter.email) == [update]
    assert subjects_to(responder.email) == []
    assert "Gateway restarting." in sent_to(reporter.email)[0].body


def test_a_work_note_is_sent_to_nobody(deliver, vpn_incident, responder):
    with deliver():
        services.incident_comment(
            incident=vpn_incident,
            author=responder,
            body="Root password is x",
            via=ADMIN,
            public=False,
        )
    assert mail.outbox == []


def test_hold_and_resume_reach_the_reporter(deliver, vpn_incident, reporter, responder):
    with deliver():
        services.incident_hold(
            incident=vpn_incident, reason="awaiting_user", actor=responder, via=ADMIN
        )
        services.incident_resume(incident=vpn_incident, actor=responder, via=ADMIN)
    assert subjects_to(reporter.email) == [
        f"[{vpn_incident.number}] On hold: VPN down",
        f"[{vpn_incident.number}] Work resumed: VPN down",
    ]
    assert "We need something from you" in sent_to(reporter.email)[0].body


def test_only_a_raised_priority_is_announced(deliver, vpn_incident, reporter, responder):
    with deliver():
        services.incident_update(incident=vpn_incident, priority="P4", actor=responder, via=ADMIN)
    assert mail.outbox == []
    with deliver():
        services.incident_update(incident=vpn_incident, priority="P1", actor=responder, via=ADMIN)
    assert subjects_to(reporter.email) == [f"[{vpn_incident.number}] Priority raised: VPN down"]


def test_resolution_asks_the_reporter_to_confirm_or_reopen(
    deliver, vpn_incident, reporter, responder, settings
):
    with deliver():
        services.incident_resolve(incident=vpn_incident, actor=responder, via=ADMIN, **RESOLVE)
    (message,) = sent_to(reporter.email)
    assert message.subject == f"[{vpn_incident.number}] Resolved: VPN down"
    portal_link = f"{settings.SITE_URL}/portal/incidents/{vpn_incident.number}/"
    assert f"Confirm it: {portal_link}" in message.body
    assert f"Reopen it within 7 days: {portal_link}" in message.body
    assert "Restarted the VPN gateway." in message.body


def test_a_reopened_incident_goes_back_to_the_assignee_and_the_team(
    deliver, vpn_incident, reporter, responder
):
    with deliver():
        services.incident_resolve(incident=vpn_incident, actor=responder, via=ADMIN, **RESOLVE)
    mail.outbox.clear()
    with deliver():
        services.incident_reopen(
            incident=vpn_incident, actor=reporter, via=Channel.PORTAL, reason="Still down"
        )
    reopened = f"[{vpn_incident.number}] Reopened: VPN down"
    assert subjects_to(responder.email) == [reopened]
    assert subjects_to("ops@example.com") == [reopened]
    assert subjects_to(reporter.email) == []


def test_sla_warning_reaches_assignee_and_lead_and_a_breach_also_the_managers(
    deliver, vpn_incident, responder, lead, manager, duty_manager, reporter
):
    due = vpn_incident.resolution_due
    with deliver():
        services.check_sla_clocks(now=vpn_incident.resolution_warn_at + timedelta(seconds=1))
    warning = f"[{vpn_incident.number}] SLA at risk: VPN down"
    assert subjects_to(responder.email) == [warning]
    assert subjects_to(lead.email) == [warning]
    assert subjects_to(duty_manager.email) == []
    mail.outbox.clear()
    with deliver():
        services.check_sla_clocks(now=due + timedelta(seconds=1))
    breach = f"[{vpn_incident.number}] SLA breached: VPN down"
    for person in (responder, lead, manager, duty_manager):
        assert subjects_to(person.email) == [breach]
    assert subjects_to(reporter.email) == []
    assert "incident manager (escalation)" in sent_to(duty_manager.email)[0].body


def test_an_overdue_public_update_reminds_the_assignee_then_the_team_lead(
    deliver, vpn_incident, responder, lead
):
    due = vpn_incident.next_update_due
    with deliver():
        services.check_update_cadence(now=due + timedelta(minutes=1))
    overdue = f"[{vpn_incident.number}] Public update overdue: VPN down"
    assert subjects_to(responder.email) == [overdue]
    assert subjects_to(lead.email) == []
    with deliver():
        services.check_update_cadence(now=due + (due - vpn_incident.opened_at) * 2)
    assert subjects_to(responder.email) == [overdue]
    assert subjects_to(lead.email) == [overdue]


def test_a_major_incident_reaches_subscribers_and_followers_of_its_children(
    deliver, vpn_incident, vpn, make_incident, make_user, reporter, manager, responder
):
    subscriber, child_watcher, child_reporter = (
        make_user("sam"),
        make_user("wendy"),
        make_user("carl"),
    )
    vpn.subscribers.add(subscriber)
    with deliver():
        child = make_incident(title="Cannot reach VPN", reporter=child_reporter)
        services.incident_watch(incident=child, user=child_watcher, actor=manager, via=ADMIN)
        services.incident_link_child(parent=vpn_incident, child=child, actor=manager, via=ADMIN)
    mail.outbox.clear()
    with deliver():
        services.incident_declare_major(incident=vpn_incident, actor=manager, via=ADMIN)
        services.incident_comment(
            incident=vpn_incident, author=responder, body="ETA 14:00.", via=ADMIN, public=True
        )
    expected = [
        f"[{vpn_incident.number}] Major incident: VPN down",
        f"[{vpn_incident.number}] Update: VPN down",
    ]
    for person in (subscriber, child_watcher, child_reporter, reporter):
        assert subjects_to(person.email) == expected, person
    assert "ETA 14:00." in sent_to(subscriber.email)[1].body
    assert "/status/" in sent_to(subscriber.email)[1].body


def test_an_opted_out_person_still_gets_essential_messages_only(
    deliver, make_incident, vpn, reporter, responder
):
    NotificationPreference.objects.create(user=reporter, receive_updates=False)
    with deliver():
        incident = make_incident(service=vpn)
        services.incident_comment(
            incident=incident, author=responder, body="Looking.", via=ADMIN, public=True
        )
        services.incident_resolve(incident=incident, actor=responder, via=ADMIN, **RESOLVE)
    assert subjects_to(reporter.email) == [
        f"[{incident.number}] Received: VPN down",
        f"[{incident.number}] Resolved: VPN down",
    ]


def test_managers_change_who_is_told_without_code(
    deliver, vpn_incident, reporter, responder, manager
):
    NotificationRule.objects.update_or_create(
        kind=EventKind.HELD, defaults={"reporter": False, "watchers": False, "managers": True}
    )
    with deliver():
        services.incident_hold(
            incident=vpn_incident, reason="awaiting_vendor", actor=responder, via=ADMIN
        )
    assert subjects_to(reporter.email) == []
    assert subjects_to(manager.email) == [f"[{vpn_incident.number}] On hold: VPN down"]


def test_a_disabled_rule_tells_nobody(deliver, make_incident, vpn):
    NotificationRule.objects.update_or_create(kind=EventKind.CREATED, defaults={"enabled": False})
    with deliver():
        make_incident(service=vpn)
    assert mail.outbox == []


def test_people_without_an_address_or_account_are_skipped_and_nobody_is_told_twice(
    vpn_incident, make_user, other_reporter, reporter
):
    silent = make_user("nomail")
    silent.email = ""
    silent.save()
    other_reporter.is_active = False
    other_reporter.save()
    vpn_incident.watchers.add(silent, other_reporter, reporter)
    event = IncidentEvent(
        incident=vpn_incident, kind=EventKind.HELD, data={}, created_at=vpn_incident.opened_at
    )
    assert [r.address for r in recipients_for(event)] == [reporter.email]


def test_the_reporter_of_a_merged_duplicate_hears_where_it_went(
    deliver, vpn_incident, make_incident, other_reporter, manager
):
    with deliver():
        duplicate = make_incident(title="No VPN", reporter=other_reporter)
    mail.outbox.clear()
    with deliver():
        services.incident_merge(
            primary=vpn_incident, duplicates=[duplicate], actor=manager, via=ADMIN
        )
    (message,) = sent_to(other_reporter.email)
    assert message.subject == f"[{duplicate.number}] Merged into {vpn_incident.number}: No VPN"
    assert f"/portal/incidents/{vpn_incident.number}/" in message.body


def test_subscribers_hear_of_a_major_incident_once_even_when_creation_is_dispatched_late(
    deliver, make_incident, vpn, make_user, manager
):
    subscriber = make_user("sam")
    vpn.subscribers.add(subscriber)
    with deliver():  # both events are dispatched after the declaration committed
        incident = make_incident(service=vpn)
        services.incident_declare_major(incident=incident, actor=manager, via=ADMIN)
    assert subjects_to(subscriber.email) == [f"[{incident.number}] Major incident: VPN down"]


def test_an_incident_created_as_major_tells_the_subscribers_at_once(
    deliver, make_incident, vpn, make_user, reporter
):
    subscriber = make_user("sam")
    vpn.subscribers.add(subscriber)
    with deliver():
        incident = make_incident(service=vpn, major=True)
    assert subjects_to(subscriber.email) == [f"[{incident.number}] Major incident: VPN down"]
    assert "is a major incident affecting VPN" in sent_to(subscriber.email)[0].body
    assert subjects_to(reporter.email) == [f"[{incident.number}] Received: VPN down"]
