from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.choices import Channel, Status
from incidents.models import Incident

pytestmark = pytest.mark.django_db


def action(name, incident):
    return reverse(f"portal:incident-{name}", args=[incident.number])


def status_of(incident):
    return Incident.objects.get(pk=incident.pk).status


def test_the_reporter_confirms_the_fix_and_the_incident_closes(alice, incident, resolve):
    resolve(incident)
    response = alice.post(action("close", incident), follow=True)
    assert status_of(incident) == Status.CLOSED
    assert f"{incident.number} is closed" in response.content.decode()
    history = Incident.history.filter(id=incident.pk).latest("history_date")
    assert history.history_change_reason == "Closed via Portal"


def test_an_open_incident_cannot_be_closed_from_the_portal(alice, incident):
    response = alice.post(action("close", incident), follow=True)
    assert status_of(incident) == Status.NEW
    assert "cannot be closed" in response.content.decode()


def test_only_the_reporter_closes_or_reopens(client_for, other_reporter, incident, resolve):
    # Followed while ongoing: nobody may start following someone else's resolved incident.
    services.incident_watch(
        incident=incident, user=other_reporter, actor=other_reporter, via=Channel.PORTAL
    )
    resolve(incident)
    watcher = client_for(other_reporter)
    assert watcher.post(action("close", incident)).status_code == 404
    assert watcher.post(action("reopen", incident)).status_code == 404
    assert status_of(incident) == Status.RESOLVED


def test_still_broken_reopens_and_tells_the_team_why(alice, incident, resolve):
    resolve(incident)
    response = alice.post(action("reopen", incident), {"reason": "Dropped again"}, follow=True)
    assert status_of(incident) == Status.IN_PROGRESS
    assert incident.comments.get().body == "Dropped again"
    assert "is reopened" in response.content.decode()


def test_reopening_after_the_window_is_refused_with_a_way_forward(
    alice, incident, resolve, settings
):
    resolve(incident)
    later = timezone.now() + settings.ITSM_REOPEN_WINDOW + timedelta(hours=1)
    with time_machine.travel(later):
        page = alice.get(reverse("portal:incident-detail", args=[incident.number])).content
        assert "Still broken, reopen" not in page.decode()
        response = alice.post(action("reopen", incident), {"reason": "Again"}, follow=True)
    assert status_of(incident) == Status.RESOLVED
    assert "can no longer be reopened" in response.content.decode()
    assert not incident.comments.exists()


def test_actions_need_a_post(alice, incident):
    assert alice.get(action("close", incident)).status_code == 405


def test_following_a_known_incident_makes_the_user_a_watcher(client_for, other_reporter, incident):
    response = client_for(other_reporter).post(action("follow", incident), follow=True)
    assert incident.watchers.filter(pk=other_reporter.pk).exists()
    assert f"You now follow {incident.number}" in response.content.decode()
    assert response.redirect_chain[-1][0] == incident.get_absolute_url()


def test_an_incident_without_a_service_cannot_be_followed_by_a_stranger(
    client_for, other_reporter, make_incident
):
    private = make_incident(title="My own laptop")
    assert client_for(other_reporter).post(action("follow", private)).status_code == 404
    assert not private.watchers.exists()


def test_a_closed_incident_cannot_be_followed_by_a_stranger(
    client_for, other_reporter, incident, resolve, reporter
):
    services.incident_close(incident=resolve(incident), actor=reporter, via=Channel.PORTAL)
    assert client_for(other_reporter).post(action("follow", incident)).status_code == 404


def test_a_watcher_can_stop_following(client_for, other_reporter, incident):
    client = client_for(other_reporter)
    client.post(action("follow", incident))
    response = client.post(action("unfollow", incident))
    assert response.status_code == 302
    assert not incident.watchers.exists()
    assert client.get(incident.get_absolute_url()).status_code == 404


def test_a_problem_affecting_only_its_reporter_stays_private(
    client_for, other_reporter, make_incident, service
):
    personal = make_incident(title="My payslip is wrong", service=service, impact="low")
    client = client_for(other_reporter)
    assert "payslip" not in client.get(reverse("portal:home")).content.decode()
    assert client.post(action("follow", personal)).status_code == 404


@pytest.mark.parametrize("name", ["close", "reopen", "follow", "unfollow"])
def test_a_button_address_opened_as_a_page_explains_and_links_to_the_incident(
    alice, incident, resolve, name
):
    resolve(incident)
    response = alice.get(action(name, incident))
    assert response.status_code == 405 and response["Allow"] == "POST"
    page = response.content.decode()
    assert "nothing was changed" in page
    assert f'href="{reverse("portal:incident-detail", args=[incident.number])}"' in page
    assert status_of(incident) == Status.RESOLVED
