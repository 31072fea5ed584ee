"""Subscribing by e-mail without an account: double opt-in, one-click unsubscribe, mail on
public incidents and maintenance, and nothing about confidential ones."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.choices import Channel
from incidents.models import Service
from statuspage.models import StatusMail, Subscriber

pytestmark = pytest.mark.django_db
SUBSCRIBE = reverse("status-subscribe")


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run what a transaction publishes on commit (event handlers, send tasks) inline."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def outbox() -> list:
    """The status mails sent (the incident's own notifications to people go out too)."""
    return [m for m in mail.outbox if "List-Unsubscribe" in m.extra_headers]


def link(message, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({path}[^\s\"<>]+)", message.body).group(1)


def test_subscribing_sends_a_confirmation_and_nothing_else_until_confirmed(
    client, service, deliver, make_incident
):
    with deliver():
        response = client.post(SUBSCRIBE, {"email": "Sam@Example.org", "all_services": "on"})
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.subject == "Confirm your subscription to status updates"
    person = Subscriber.objects.get()
    assert person.confirmed_at is None
    mail.outbox.clear()
    with deliver():
        make_incident(title="VPN slow", service=service)
    assert outbox() == []


def test_the_confirmation_link_shows_a_button_and_only_a_post_confirms(client, service, deliver):
    with deliver():
        client.post(SUBSCRIBE, {"email": "sam@example.org", "services": [service.pk]})
    path = link(mail.outbox[0], "/status/subscribe/confirm/")
    page = client.get(path)  # a mail scanner opening the link
    assert page.status_code == 200 and "Confirm my subscription" in page.content.decode()
    assert Subscriber.objects.get().confirmed_at is None
    assert "You are subscribed" in client.post(path).content.decode()
    person = Subscriber.objects.get()
    assert person.confirmed_at is not None and list(person.services.all()) == [service]
    assert person.all_services is False


def test_a_forged_confirmation_link_is_refused_clearly(client):
    response = client.post("/status/subscribe/confirm/not-a-signed-code/")
    assert response.status_code == 400
    assert "This confirmation link is not valid" in response.content.decode()


def test_nobody_can_change_a_confirmed_subscription_without_its_owners_mail(
    client, service, subscriber, team, deliver
):
    person = subscriber("sam@example.org", services=[service])
    wifi = Service.objects.create(name="Wi-Fi", slug="wifi", owner_team=team)
    with deliver():
        client.post(SUBSCRIBE, {"email": "sam@example.org", "services": [wifi.pk]})
    person.refresh_from_db()
    assert list(person.services.all()) == [service]  # unchanged until the link is followed
    client.post(link(mail.outbox[0], "/status/subscribe/confirm/"))
    assert list(person.services.all()) == [wifi]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "not-an-address", "all_services": "on"}, "Enter a valid email address."),
        ({"email": "", "all_services": "on"}, "This field is required."),
        ({"email": "sam@example.org"}, "Choose all services or at least one service."),
        ({"email": "sam@example.org\r\nBcc: all@example.com", "all_services": "on"}, "valid"),
        ({"email": "sam@example.org\nSubject: spam", "all_services": "on"}, "valid"),
        ({"email": "a" * 300 + "@example.org", "all_services": "on"}, "at most 254"),
        ({"email": "sam@example.org", "services": ["999999"]}, "Select a valid choice"),
        ({"email": "sam@example.org", "services": ["'; drop table x"]}, "valid"),
    ],
)
def test_hostile_or_bad_input_gets_a_form_error_and_no_mail(client, service, deliver, data, error):
    with deliver():
        response = client.post(SUBSCRIBE, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert outbox() == [] and not Subscriber.objects.exists()


def test_the_subscribe_form_is_rate_limited_per_address(client, service, deliver):
    for _ in range(3):
        with deliver():
            assert (
                client.post(SUBSCRIBE, {"email": "v@example.org", "all_services": "on"}).status_code
                == 200
            )
    response = client.post(SUBSCRIBE, {"email": "v@example.org", "all_services": "on"})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert len(mail.outbox) == 3


def test_the_subscribe_form_is_rate_limited_per_client(client, service, deliver):
    for n in range(10):
        with deliver():
            client.post(SUBSCRIBE, {"email": f"p{n}@example.org", "all_services": "on"})
    response = client.post(SUBSCRIBE, {"email": "p99@example.org", "all_services": "on"})
    assert response.status_code == 429


def test_subscribers_hear_of_a_new_public_incident_its_updates_and_its_resolution(
    service, subscriber, deliver, make_incident, publish, resolve, responder
):
    subscriber("all@example.org")
    subscriber("vpn@example.org", services=[service])
    subscriber("pending@example.org", confirmed=False)
    with deliver():
        incident = make_incident(title="VPN slow", service=service)
    with deliver():
        publish(incident, "Replacing a gateway.")
    with deliver():
        services.incident_comment(
            incident=incident, author=responder, body="firmware bug", public=False, via="admin"
        )
    with deliver():
        resolve(incident)
    subjects = sorted((m.to[0], m.subject) for m in outbox())
    assert subjects == [
        ("all@example.org", "Incident: VPN slow"),
        ("all@example.org", "Resolved: VPN slow"),
        ("all@example.org", "Update: VPN slow"),
        ("vpn@example.org", "Incident: VPN slow"),
        ("vpn@example.org", "Resolved: VPN slow"),
        ("vpn@example.org", "Update: VPN slow"),
    ]
    update = next(m for m in outbox() if m.subject.startswith("Update"))
    assert "Replacing a gateway." in update.body and "firmware" not in update.body
    assert incident.number not in update.body


def test_every_status_mail_carries_one_click_unsubscribe_headers(
    service, subscriber, deliver, make_incident
):
    person = subscriber("all@example.org")
    with deliver():
        make_incident(title="VPN slow", service=service)
    [message] = outbox()
    url = f"http://127.0.0.1:8000/status/unsubscribe/{person.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body


def test_a_one_click_post_unsubscribes_without_login_or_csrf_token(subscriber):
    person = subscriber("all@example.org")
    strict = Client(enforce_csrf_checks=True)
    path = reverse("status-unsubscribe", args=[person.token])
    page = strict.get(path)
    assert "Unsubscribe" in page.content.decode() and Subscriber.objects.exists()
    response = strict.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert strict.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200  # again


def test_confidential_and_low_impact_incidents_never_mail_subscribers(
    service, subscriber, deliver, make_incident, publish, manager
):
    subscriber("all@example.org")
    with deliver():
        secret = make_incident(title="Payroll leak", service=service, confidential=True)
    with deliver():
        services.incident_declare_major(incident=secret, actor=manager, via=Channel.ADMIN)
    with deliver():
        publish(secret, "Contained")
    with deliver():
        make_incident(title="My mouse", service=service, impact="low")
    assert outbox() == []


def test_a_subscriber_of_another_service_hears_nothing(
    service, subscriber, deliver, make_incident, team
):
    wifi = Service.objects.create(name="Wi-Fi", slug="wifi", owner_team=team)
    subscriber("wifi@example.org", services=[wifi])
    with deliver():
        make_incident(title="VPN slow", service=service)
    assert outbox() == []


def test_handling_an_event_twice_mails_once(service, subscriber, deliver, make_incident):
    from incidents.models import IncidentEvent
    from statuspage.handlers import on_incident_events

    subscriber("all@example.org")
    with deliver():
        make_incident(title="VPN slow", service=service)
    events = list(IncidentEvent.objects.all())
    with deliver():
        on_incident_events(events)
        on_incident_events(events)
    assert len(outbox()) == 1
    assert StatusMail.objects.count() == 1


def test_declaring_an_announced_incident_major_does_not_announce_it_again(
    service, subscriber, deliver, make_incident, manager
):
    subscriber("all@example.org")
    with deliver():
        incident = make_incident(title="VPN slow", service=service)
    with deliver():
        services.incident_declare_major(incident=incident, actor=manager, via=Channel.ADMIN)
    assert [m.subject for m in outbox()] == ["Incident: VPN slow"]


def test_maintenance_is_announced_started_and_completed_once_each(
    service, subscriber, deliver, make_window
):
    from statuspage.tasks import check_maintenance

    subscriber("all@example.org")
    now = timezone.now()
    with deliver():
        window = make_window(now + timedelta(hours=1), now + timedelta(hours=2))
    with deliver():
        check_maintenance()  # beat, a minute later: nothing new
    assert [m.subject for m in outbox()] == ["Scheduled maintenance: Router firmware upgrade"]
    assert "CHG-42" not in outbox()[0].body
    type(window).objects.filter(pk=window.pk).update(starts_at=now - timedelta(minutes=1))
    with deliver():
        check_maintenance()
        check_maintenance()
    type(window).objects.filter(pk=window.pk).update(ends_at=now - timedelta(seconds=1))
    with deliver():
        check_maintenance()
    assert [m.subject for m in outbox()][1:] == [
        "Maintenance started: Router firmware upgrade",
        "Maintenance completed: Router firmware upgrade",
    ]


def test_private_maintenance_mails_nobody(service, subscriber, deliver, make_window):
    subscriber("all@example.org")
    now = timezone.now()
    with deliver():
        make_window(now + timedelta(hours=1), now + timedelta(hours=2), public=False)
    assert outbox() == []


def test_the_send_task_run_twice_sends_once(service, subscriber, make_incident, publish):
    from statuspage.tasks import send_status_mails

    subscriber("all@example.org")
    incident = make_incident(title="VPN slow", service=service)  # on-commit work not run
    from incidents.models import IncidentEvent
    from statuspage.handlers import mail_event

    ids = mail_event(IncidentEvent.objects.get(incident=incident), incident)
    assert send_status_mails(ids) == 1
    assert send_status_mails(ids) == 0
    assert len(outbox()) == 1


def test_a_killed_workers_rows_go_out_again_later(service, subscriber, make_incident):
    from incidents.models import IncidentEvent
    from statuspage.handlers import mail_event
    from statuspage.models import MailStatus
    from statuspage.tasks import check_maintenance

    subscriber("all@example.org")
    incident = make_incident(title="VPN slow", service=service)
    ids = mail_event(IncidentEvent.objects.get(incident=incident), incident)
    StatusMail.objects.filter(pk__in=ids).update(
        status=MailStatus.SENDING, sent_at=timezone.now() - timedelta(minutes=11)
    )
    check_maintenance()
    assert [m.subject for m in outbox()] == ["Incident: VPN slow"]
    assert StatusMail.objects.get().status == MailStatus.SENT


def test_the_handler_publishes_send_tasks_only_after_its_rows_are_committed(
    service, subscriber, make_incident, django_capture_on_commit_callbacks
):
    from unittest import mock

    from incidents.models import IncidentEvent
    from statuspage.handlers import on_incident_events
    from statuspage.tasks import send_status_mails

    subscriber("all@example.org")
    make_incident(title="VPN slow", service=service)
    events = list(IncidentEvent.objects.all())
    with mock.patch.object(send_status_mails, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            on_incident_events(events)
        delay.assert_not_called()
        for callback in callbacks:
            callback()
    (call,) = delay.call_args_list
    assert call.args[0] == list(StatusMail.objects.values_list("pk", flat=True))


def test_practice_drills_never_reach_the_status_page_or_subscribers(
    client, service, subscriber, deliver, make_incident, manager, publish
):
    subscriber("all@example.org")
    with deliver():
        drill = make_incident(title="Drill: VPN down", service=service, practice=True)
    with deliver():
        services.incident_declare_major(incident=drill, actor=manager, via=Channel.ADMIN)
    with deliver():
        publish(drill, "Practice update")
    assert outbox() == []
    for name in ("status", "status-history", "status-feed-atom", "status-summary-json"):
        assert "Drill" not in client.get(reverse(name)).content.decode(), name
    assert "Outage" not in client.get(reverse("status")).content.decode()


def test_a_subscriber_gets_the_mails_in_the_language_the_page_was_read_in(
    client, service, deliver, make_incident
):
    from django.utils import translation

    with deliver():
        client.post(
            SUBSCRIBE,
            {"email": "lea@example.org", "services": [service.pk]},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    with translation.override("fr"):
        french = translation.gettext("Confirm your subscription to status updates")
    assert french != "Confirm your subscription to status updates"  # the catalog has it
    [message] = mail.outbox
    assert message.subject == french
    assert Subscriber.objects.get().language == "fr"
    # Later mails (here, the English reader's) are in each subscriber's own language.
    mail.outbox.clear()
    with deliver():
        client.post(SUBSCRIBE, {"email": "sam@example.org", "services": [service.pk]})
    assert mail.outbox[0].subject == "Confirm your subscription to status updates"


def test_a_batch_of_new_incidents_mails_each_subscriber_of_each_service_once(
    service, subscriber, make_incident
):
    from incidents.tasks import dispatch_batch

    other = Service.objects.create(name="Printing", slug="printing")
    subscriber("all@example.org")
    subscriber("vpn@example.org", services=[service])
    subscriber("print@example.org", services=[other])
    subscriber("late@example.org", services=[service], confirmed=False)
    for title, on in [("VPN slow", service), ("VPN down", service), ("No prints", other)]:
        make_incident(title=title, service=on)  # on-commit work not run: left in the outbox
    dispatch_batch()  # their "created" events, and the printing incident's "routed"
    mailed = sorted(StatusMail.objects.values_list("key", "subscriber__email"))
    first, second, printing = sorted({key for key, _ in mailed})
    assert mailed == [
        (first, "all@example.org"),
        (first, "vpn@example.org"),
        (second, "all@example.org"),
        (second, "vpn@example.org"),
        (printing, "all@example.org"),
        (printing, "print@example.org"),
    ]
