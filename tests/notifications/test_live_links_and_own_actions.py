"""End to end through a real worker, Redis and SMTP server: followers of a child incident
hear the major incident's news once the child is linked (by the admin or the API), and
nobody is e-mailed about their own change unless they asked to be."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import api_token_create
from incidents import services
from incidents.choices import Channel
from notifications.models import NotificationPreference
from tests.notifications.live import restore_catalogue, subjects, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ADMIN = Channel.ADMIN


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    restore_catalogue()


@pytest.fixture
def major(make_incident, vpn, manager):
    incident = make_incident(title="Network down", service=vpn, impact="high", urgency="high")
    return services.incident_declare_major(incident=incident, actor=manager, via=ADMIN)


def _update(major, responder, body="Core switch replaced; links coming back."):
    services.incident_comment(incident=major, author=responder, body=body, via=ADMIN, public=True)


def _link_in_admin(user, parent, child):
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("admin:incidents_incident_changelist") + "?status=all",
        {
            "action": "link_to_parent",
            "_selected_action": [child.pk],
            "_confirm": "1",
            "parent": parent.number,
        },
    )
    assert response.status_code == 302


def _link_in_api(user, parent, child):
    _, secret = api_token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post(
        f"/api/v1/incidents/{parent.number}/link-child/", {"child": child.number}, format="json"
    )
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("door", [_link_in_admin, _link_in_api], ids=["admin", "api"])
def test_followers_of_a_linked_child_are_mailed_the_major_incidents_updates(
    celery_worker, smtp_server, make_incident, major, other_reporter, make_user, manager,
    responder, door,
):  # fmt: skip
    child = make_incident(title="No VPN from home", reporter=other_reporter)
    watcher = make_user("carol")
    services.incident_watch(incident=child, user=watcher, actor=manager, via=ADMIN)
    door(manager, major, child)
    _update(major, responder)
    update = f"[{major.number}] Update: Network down"
    for address in (other_reporter.email, watcher.email):
        assert wait_until(lambda a=address: update in subjects(smtp_server, a)), address


def test_a_responder_who_reports_for_themselves_is_not_mailed_about_it(
    celery_worker, smtp_server, make_incident, vpn, responder
):
    incident = make_incident(title="Laptop fan loud", service=vpn, reporter=responder, via=ADMIN)
    smtp_server.wait_for(1)  # the team mailbox hears of the new incident
    time.sleep(1)  # anything for the responder would arrive now
    assert subjects(smtp_server, "ops@example.com") == [
        f"[{incident.number}] New P3 incident: Laptop fan loud"
    ]
    assert subjects(smtp_server, responder.email) == []


def test_someone_who_asked_to_hear_of_their_own_changes_is_mailed_about_them(
    celery_worker, smtp_server, make_incident, vpn, responder
):
    NotificationPreference.objects.create(user=responder, own_actions=True)
    incident = make_incident(title="Laptop fan loud", service=vpn, reporter=responder, via=ADMIN)
    smtp_server.wait_for(2)
    time.sleep(1)
    assert subjects(smtp_server, responder.email) == [
        f"[{incident.number}] New P3 incident: Laptop fan loud"
    ]


def test_an_end_user_still_gets_the_acknowledgement_of_their_own_report(
    celery_worker, smtp_server, make_incident, vpn, reporter
):
    incident = make_incident(title="Printer jammed", service=vpn)
    smtp_server.wait_for(2)
    assert subjects(smtp_server, reporter.email) == [
        f"[{incident.number}] Received: Printer jammed"
    ]
