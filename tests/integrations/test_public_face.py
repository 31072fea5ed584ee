"""What end users see of a monitoring incident: the affected service and how badly
(`Incident.public_title`) and public updates; never alert names, labels, annotations or
links, which stay with responders."""

import pytest
from django.core import mail
from django.test import Client

from incidents import services
from incidents.choices import Channel
from incidents.models import Incident
from tests.integrations.conftest import sample

pytestmark = pytest.mark.django_db
# What the captured Alertmanager sample says that only responders should read.
STAFF_ONLY = ["HighErrorRate", "5xx", "web-1:9100", "severity", "instance", "127.0.0.1:19093"]


@pytest.fixture
def alert_incident(post_alerts, checkout):
    response = post_alerts(sample("firing"))
    assert response.status_code in (200, 201, 202), response.content
    return Incident.objects.get(channel=Channel.MONITORING)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shows_nothing_internal(text: str) -> None:
    for word in STAFF_ONLY:
        assert word not in text, word


def test_the_incident_keeps_its_alert_title_for_responders_and_a_public_one_for_others(
    alert_incident,
):
    assert alert_incident.title == "Checkout API 5xx rate above 5%"
    assert alert_incident.priority == "P1"
    assert alert_incident.public_title == "Checkout outage"
    assert alert_incident.public_description == ""


def test_the_portal_lists_and_shows_it_by_its_public_face(alert_incident, other_reporter):
    bob = _signed_in(other_reporter)
    home = bob.get("/portal/").content.decode()
    assert "Checkout outage" in home and alert_incident.number in home
    _shows_nothing_internal(home)
    assert bob.post(f"/portal/incidents/{alert_incident.number}/follow/").status_code == 302
    page = bob.get(f"/portal/incidents/{alert_incident.number}/").content.decode()
    assert "Checkout outage" in page
    _shows_nothing_internal(page)


def test_the_status_page_names_the_service_not_the_alert(alert_incident, manager, client):
    services.incident_declare_major(incident=alert_incident, actor=manager, via=Channel.ADMIN)
    page = client.get("/status/").content.decode()
    assert "Checkout outage" in page
    _shows_nothing_internal(page)


def test_subscribers_mail_speaks_of_the_service_not_the_alert(
    alert_incident, make_user, manager, checkout, django_capture_on_commit_callbacks
):
    subscriber = make_user("carol")
    checkout.subscribers.add(subscriber)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_declare_major(incident=alert_incident, actor=manager, via=Channel.ADMIN)
    to_carol = [m for m in mail.outbox if m.to == ["carol@example.com"]]
    assert to_carol, [m.to for m in mail.outbox]
    (message,) = to_carol
    assert message.subject == f"[{alert_incident.number}] Major incident: Checkout outage"
    _shows_nothing_internal(message.subject + message.body)
