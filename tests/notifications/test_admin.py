"""The admin: the delivery record, failures and retries, rules, and the incident timeline."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from incidents.choices import EventKind
from incidents.roles import MANAGERS, RESPONDERS
from incidents.selectors import incident_timeline
from notifications.models import DeliveryStatus, Notification, NotificationRule

pytestmark = pytest.mark.django_db

LIST = "/admin/notifications/notification/"
RULES = "/admin/notifications/notificationrule/"


@pytest.fixture
def history(deliver, make_incident, vpn, responder, manager):
    """Two incidents with sent notifications, one of them failed."""
    with deliver():
        first = make_incident(service=vpn)
        make_incident(service=vpn, title="Wi-Fi slow")
    failed = Notification.objects.filter(incident=first, address="ops@example.com").get()
    Notification.objects.filter(pk=failed.pk).update(
        status=DeliveryStatus.FAILED, error="SMTPRecipientsRefused: 550 mailbox unknown"
    )
    return first


def test_the_roles_hold_their_notification_permissions():
    responders = set(
        Group.objects.get(name=RESPONDERS).permissions.values_list("codename", flat=True)
    )
    managers = set(Group.objects.get(name=MANAGERS).permissions.values_list("codename", flat=True))
    assert {"view_notification", "view_notificationrule"} <= responders
    assert "change_notificationrule" not in responders
    assert {"change_notificationrule", "change_notification"} <= managers


def test_responders_see_what_was_sent_and_why_a_message_failed(client, responder, history):
    client.force_login(responder)
    response = client.get(LIST)
    assert response.status_code == 200
    assert b"550 mailbox unknown" in response.content
    assert history.number.encode() in response.content
    response = client.get(f"{LIST}?status=failed")
    assert response.content.count(b"ops@example.com") == 1


def test_the_notification_list_costs_the_same_queries_for_more_rows(
    client, responder, history, make_incident, vpn, deliver, django_assert_max_num_queries
):
    client.force_login(responder)
    client.get(LIST)
    with deliver():
        for index in range(5):
            make_incident(service=vpn, title=f"More {index}")
    # session, user, permissions (2), date hierarchy, page rows with incident and event
    # joined, filter choices; never one query per row.
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.content.count(b"ops@example.com") >= 7


def test_a_manager_sends_failed_notifications_again(client, manager, history, deliver):
    client.force_login(manager)
    failed = Notification.objects.get(status=DeliveryStatus.FAILED)
    mail.outbox.clear()
    with deliver():
        response = client.post(
            LIST, {"action": "retry", "_selected_action": [failed.pk]}, follow=True
        )
    assert b"1 notification queued again." in response.content
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["ops@example.com"]]


def test_responders_cannot_retry_or_edit_rules(client, responder, history):
    client.force_login(responder)
    failed = Notification.objects.get(status=DeliveryStatus.FAILED)
    client.post(LIST, {"action": "retry", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED
    rule = NotificationRule.objects.get(kind=EventKind.HELD)
    response = client.post(f"{RULES}{rule.pk}/change/", {"enabled": "", "reporter": ""})
    assert response.status_code == 403
    assert NotificationRule.objects.get(kind=EventKind.HELD).enabled is True


def test_managers_edit_who_is_told(client, manager):
    rule = NotificationRule.objects.get(kind=EventKind.HELD)
    client.force_login(manager)
    response = client.post(
        f"{RULES}{rule.pk}/change/", {"enabled": "on", "reporter": "on", "managers": "on"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.audiences() == {"reporter", "managers"}


def test_every_notifiable_event_has_a_default_rule():
    kinds = set(NotificationRule.objects.values_list("kind", flat=True))
    assert EventKind.CREATED in kinds
    assert EventKind.SLA_BREACHED in kinds
    assert EventKind.WORK_NOTE not in kinds


def test_the_incident_timeline_shows_each_notification_and_its_outcome(history, reporter):
    entries = [e for e in incident_timeline(history) if e.kind == "notification"]
    texts = sorted((e.title, e.body) for e in entries)
    assert texts == [
        ("E-mail delivered", f"To {reporter.email} (reporter) about: Created"),
        (
            "E-mail failed",
            "To ops@example.com (assigned team) about: Created. "
            "Error: SMTPRecipientsRefused: 550 mailbox unknown",
        ),
    ]
    assert all(not e.public for e in entries)


def test_the_timeline_reads_notifications_in_one_query(
    history, responder, django_assert_num_queries
):
    from notifications.selectors import notification_timeline

    with django_assert_num_queries(1):
        notification_timeline(history)
