"""Confidential incidents: seen only by their reporter, their assignee, the security team
(`ITSM_SECURITY_TEAM`) and incident managers, whichever door is used; and absent, for
everyone else, from every list, count, page, message and payload that could name them."""

import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents import services, visibility
from incidents.choices import Channel, EventKind
from incidents.exceptions import NotPermitted
from incidents.models import Attachment, Category, Comment, Incident, Team

pytestmark = pytest.mark.django_db
ADMIN = Channel.ADMIN


@pytest.fixture
def security_team(db, make_user, responder):
    """The security team, with one responder of its own (`sec`); `agent` is not in it."""
    from django.contrib.auth.models import Group

    from incidents.roles import RESPONDERS

    sec = make_user("sec", staff=True)
    sec.groups.add(Group.objects.get(name=RESPONDERS))
    team = Team.objects.create(name="Security", slug="security")
    team.members.add(sec)
    return team


@pytest.fixture
def sec(security_team):
    return security_team.members.get()


@pytest.fixture
def secret(make_incident, service):
    """alice's report of a phishing mail, on a service many people share (high impact:
    it would be a "known" incident anyone may follow, were it not confidential)."""
    return make_incident(
        title="Entered my password on a fake page",
        service=service,
        impact="high",
        urgency="high",
        confidential=True,
    )


def _personas(reporter, other_reporter, responder, other_responder, manager, sec):
    return {
        "alice": reporter,
        "bob": other_reporter,
        "agent": responder,
        "agent2": other_responder,
        "manager": manager,
        "sec": sec,
    }


def test_only_the_reporter_the_assignee_the_security_team_and_managers_see_it(
    secret, reporter, other_reporter, responder, other_responder, manager, sec
):
    services.incident_assign(incident=secret, actor=manager, via=ADMIN, assignee=other_responder)
    secret.refresh_from_db()
    people = _personas(reporter, other_reporter, responder, other_responder, manager, sec)
    seeing = {
        name
        for name, user in people.items()
        if Incident.objects.visible_to(user).filter(pk=secret.pk).exists()
    }
    assert seeing == {"alice", "agent2", "manager", "sec"}
    for name, user in people.items():  # the predicate and the queryset agree
        assert visibility.may_see(user, secret) == (name in seeing), name


def test_its_comments_and_files_follow_the_incident(secret, responder, manager, reporter):
    services.incident_comment(
        incident=secret, author=manager, body="Reset.", public=True, via=ADMIN
    )
    services.incident_attach(
        incident=secret,
        actor=reporter,
        files=[SimpleUploadedFile("mail.txt", b"phish")],
        via=Channel.PORTAL,
    )
    for model in (Comment, Attachment):
        assert not model.objects.visible_to(responder).filter(incident=secret).exists()
        assert model.objects.visible_to(manager).filter(incident=secret).exists()
        assert model.objects.visible_to(reporter).filter(incident=secret).exists()


def test_managers_lists_get_no_visibility_condition_at_all(manager, responder):
    everything = str(Incident.objects.all().query)
    assert str(Incident.objects.visible_to(manager).query) == everything
    assert str(Incident.objects.visible_to(responder).query) != everything


def test_a_responder_marks_an_incident_confidential_with_history_and_an_event(incident, responder):
    services.incident_set_confidential(
        incident=incident, actor=responder, confidential=True, via=ADMIN
    )
    incident.refresh_from_db()
    assert incident.confidential
    assert incident.history.first().history_change_reason == "Marked confidential via Admin"
    assert incident.events.filter(kind=EventKind.CONFIDENTIALITY).get().data == {
        "confidential": True
    }


def test_an_end_user_cannot_mark_their_incident_confidential(incident, reporter):
    with pytest.raises(NotPermitted):
        services.incident_set_confidential(
            incident=incident, actor=reporter, confidential=True, via=Channel.PORTAL
        )


def test_a_category_or_an_integration_makes_new_incidents_confidential(
    make_incident, service, manager
):
    from integrations.services import integration_create

    security = Category.objects.create(name="Security", confidential_by_default=True)
    phishing = Category.objects.create(name="Phishing", parent=security)
    assert make_incident(category=phishing).confidential
    assert not make_incident(category=Category.objects.create(name="Laptop")).confidential
    integration, token = integration_create(kind="events", name="IDS", default_service=service)
    integration.confidential_by_default = True
    integration.save()
    from django.test import Client

    from tests.security.conftest import monitoring_alert

    key = monitoring_alert(Client(), token, summary="Port scan from 10.0.0.9")["dedup_key"]
    assert Incident.objects.get(alert_groups__alerts__fingerprint=key).confidential


def test_the_admin_list_search_dashboard_and_change_page_hide_it_from_other_responders(
    secret, browser_for
):
    agent, boss = browser_for("agent"), browser_for("manager")
    changelist = "/admin/incidents/incident/"
    assert secret.number not in agent.get(changelist).content.decode()
    assert "fake page" not in agent.get(changelist, {"q": secret.number}).content.decode()
    assert secret.number not in agent.get("/admin/").content.decode()
    # The same answer as for an incident that does not exist (the admin's redirect).
    missing = agent.get("/admin/incidents/incident/987654321/change/")
    response = agent.get(secret.get_admin_url())
    assert (response.status_code, response["Location"]) == (302, missing["Location"])
    assert secret.number in boss.get(changelist).content.decode()
    assert boss.get(secret.get_admin_url()).status_code == 200


def test_a_problem_lists_it_only_for_those_who_may_see_it(secret, incident, manager, browser_for):
    from problems.services import problem_create

    problem = problem_create(title="Phishing wave", actor=manager, incidents=[secret, incident])
    page = f"/admin/problems/problem/{problem.pk}/change/"
    shown = browser_for("agent").get(page).content.decode()
    assert incident.number in shown and secret.number not in shown
    assert secret.number in browser_for("manager").get(page).content.decode()


def test_the_admin_button_marks_it_confidential(incident, browser_for):
    url = f"/admin/incidents/incident/{incident.pk}/confidential/"
    response = browser_for("agent").post(url, {"confidential": "1", "version": incident.version})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.confidential
    # The responder is neither reporter nor assignee: it has left their workspace.
    assert browser_for("agent").get(incident.get_admin_url())["Location"] == "/admin/"


def test_the_api_shows_the_field_and_staff_set_it_with_patch(world, api_for):
    incident = Incident.objects.get(pk=world.incident.pk)
    responder_api = api_for("agent")
    url = f"/api/v1/incidents/{incident.number}/"
    body = {"confidential": True, "version": incident.version}
    response = responder_api.patch(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["confidential"] is True
    assert responder_api.get(url).status_code == 404  # no longer theirs to see
    assert incident.number not in {
        row["number"] for row in responder_api.get("/api/v1/incidents/").json()["results"]
    }


def test_the_portal_never_offers_it_to_follow_and_the_domain_refuses_it(
    secret, browser_for, other_reporter
):
    bob = browser_for("bob")
    assert secret.number not in bob.get("/portal/").content.decode()
    assert bob.post(f"/portal/incidents/{secret.number}/follow/").status_code == 404
    with pytest.raises(NotPermitted):
        services.incident_watch(
            incident=secret, user=other_reporter, actor=other_reporter, via=Channel.PORTAL
        )
    assert not secret.watchers.exists()


def test_the_status_page_does_not_show_it_or_its_service_degraded(secret, manager, client):
    services.incident_declare_major(incident=secret, actor=manager, via=ADMIN)
    page = client.get("/status/").content.decode()
    assert secret.number not in page and "fake page" not in page
    assert "Degraded" not in page and "Outage" not in page


def test_mail_reaches_only_people_who_may_see_it(
    secret, make_user, manager, responder, reporter, django_capture_on_commit_callbacks
):
    from notifications.recipients import recipients_for

    subscriber = make_user("carol")
    secret.service.subscribers.add(subscriber)
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_declare_major(incident=secret, actor=manager, via=ADMIN)
    event = secret.events.get(kind=EventKind.MAJOR_DECLARED)
    addresses = {r.address for r in recipients_for(event)}
    assert addresses == {reporter.email}  # not the subscriber, nor the team's mailbox
    created = secret.events.get(kind=EventKind.CREATED)
    assert {r.address for r in recipients_for(created)} == {reporter.email}
    assert all("carol@example.com" not in m.to for m in mail.outbox)


def test_webhooks_get_its_number_and_confidential_only(secret):
    from api.webhooks import event_payload

    payload = event_payload(secret.events.get(kind=EventKind.CREATED))
    assert payload["incident"] == {"number": secret.number, "confidential": True}
    assert "fake page" not in json.dumps(payload)


def test_chat_channels_get_its_number_only(secret, team):
    from messaging.models import ChannelMessage, TeamChannel
    from messaging.services import channels_post

    TeamChannel.objects.create(team=team, name="Ops", url="json://127.0.0.1/hook")
    channels_post(
        team=team, incident=secret, kind="created", title=secret.title, body=secret.description
    )
    message = ChannelMessage.objects.get()
    assert message.title == f"{secret.number}: Confidential incident"
    assert "fake page" not in message.title + message.body


def test_metrics_and_the_csv_export_leave_it_out_for_responders_who_may_not_see_it(
    secret, browser_for
):
    params = {"group_by": "priority"}
    agent = browser_for("agent").get("/api/v1/metrics/", params).json()
    boss = browser_for("manager").get("/api/v1/metrics/", params).json()
    assert agent["summary"]["opened"] == 0
    assert boss["summary"]["opened"] == 1
    export = browser_for("agent").get("/admin/reports/", {"export": "incidents"})
    assert secret.number not in b"".join(export.streaming_content).decode()
