"""The one-click acknowledge link: GET asks, POST acknowledges once, as the paged person."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from incidents.choices import Status
from paging.links import ack_token
from paging.models import Escalation, EscalationState, Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def paged(policy, raise_p1, responder):
    incident = raise_p1()
    page = Page.objects.get(user=responder)
    message = next(m for m in mail.outbox if m.to == [responder.email] and "Paged" in m.subject)
    path = re.search(r"https?://[^/\s]+(/ack/[^/\s]+/)", message.body).group(1)
    return incident, page, path


def test_opening_the_link_shows_the_incident_and_changes_nothing(client, paged):
    incident, page, path = paged
    response = client.get(path)
    assert response.status_code == 200
    assert incident.number in response.text and "Acknowledge as agent" in response.text
    incident.refresh_from_db()
    page.refresh_from_db()
    assert incident.status == Status.NEW and page.link_used_at is None


def test_one_post_acknowledges_as_the_paged_person_and_stops_paging(client, paged, responder):
    incident, page, path = paged
    response = client.post(path)
    assert response.status_code == 200
    assert "acknowledged in your name" in response.text
    incident.refresh_from_db()
    assert incident.status == Status.ACKNOWLEDGED
    assert incident.history.latest().history_user == responder
    assert "via Page" in incident.history.latest().history_change_reason
    assert Escalation.objects.get(incident=incident).state == EscalationState.STOPPED


def test_a_second_use_says_it_was_already_done(client, paged):
    incident, page, path = paged
    client.post(path)
    again = client.post(path)
    assert again.status_code == 400
    assert "already used" in again.text
    assert "already used" in client.get(path).text


def test_a_tampered_link_is_refused(client, paged):
    incident, page, path = paged
    token = ack_token(page.pk)
    forged = token.replace(token[-3:], "abc" if token[-3:] != "abc" else "xyz")
    response = client.post(f"/ack/{forged}/")
    assert response.status_code == 400 and "not valid" in response.text
    other = client.post(f"/ack/{ack_token(page.pk + 999)}/")
    assert other.status_code == 400
    incident.refresh_from_db()
    assert incident.status == Status.NEW


def test_an_expired_link_is_refused(client, paged, settings):
    incident, page, path = paged
    with time_machine.travel(
        timezone.now() + timedelta(hours=settings.ITSM_ACK_LINK_HOURS, minutes=1)
    ):
        response = client.post(path)
    assert response.status_code == 400 and "expired" in response.text
    incident.refresh_from_db()
    assert incident.status == Status.NEW


def test_someone_elses_link_is_refused_when_signed_in_as_another_person(
    client, paged, other_responder
):
    incident, page, path = paged
    client.force_login(other_responder)
    response = client.post(path)
    assert response.status_code == 400 and "was sent to agent" in response.text
    incident.refresh_from_db()
    page.refresh_from_db()
    assert incident.status == Status.NEW and page.link_used_at is None


def test_answering_after_someone_else_acknowledged_stops_paging_and_says_so(client, paged, manager):
    from incidents import services
    from incidents.choices import Channel

    incident, page, path = paged
    services.incident_acknowledge(incident=incident, actor=manager, via=Channel.ADMIN)
    response = client.post(path)
    assert response.status_code == 200 and "already acknowledged" in response.text
    incident.refresh_from_db()
    assert incident.history.filter(history_user=manager).exists()
