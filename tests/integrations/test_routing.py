"""Alerts nobody owns are never silent: an integration's team is named, else the service's
owner, else a routing rule on the alert's labels, else the fallback team, which sees the
incident on its dashboard."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from incidents.choices import EventKind
from incidents.models import Incident, RoutingRule, Team
from incidents.selectors import incident_timeline
from integrations.models import AlertGroup
from tests.integrations.conftest import ALERTMANAGER_URL, sample, trigger

pytestmark = pytest.mark.django_db

FALLBACK_ENTRY = "Routed to the fallback team Service desk (no owner team, no matching rule)"


@pytest.fixture
def desk(db):
    return Team.objects.get(slug="service-desk")


@pytest.fixture
def bare_alertmanager(make_integration):
    """(integration, token) with no default service and no default team."""
    return make_integration("alertmanager", name="Bare Prometheus")


def post(payload, token):
    return Client().post(
        ALERTMANAGER_URL,
        data=json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def incident_of_the_sample() -> Incident:
    return AlertGroup.objects.select_related("incident").get().incident


def test_a_p1_whose_service_label_names_no_service_goes_to_the_fallback_team(
    bare_alertmanager, desk
):
    assert post(sample("firing"), bare_alertmanager[1]).status_code == 200
    incident = incident_of_the_sample()
    assert incident.priority == "P1" and incident.service is None
    assert incident.team_id == desk.pk
    [routed] = incident.events.filter(kind=EventKind.ROUTED)
    assert routed.data["how"] == "fallback"
    assert FALLBACK_ENTRY in [entry.title for entry in incident_timeline(incident)]


def test_the_fallback_teams_members_see_it_on_their_dashboard(bare_alertmanager, desk, make_user):
    member = make_user("triage", group="Responders", staff=True)
    desk.members.add(member)
    post(sample("firing"), bare_alertmanager[1])
    number = incident_of_the_sample().number
    client = Client()
    client.force_login(member)
    response = client.get(reverse("admin:index"))
    panels = {p.title: p for p in response.context["dashboard"].panels}
    assert [i.number for i in panels["Routed to the fallback team"].incidents] == [number]
    assert [i.number for i in panels["Unassigned in my teams"].incidents] == [number]
    listed = client.get(panels["Routed to the fallback team"].url).context["cl"].result_count
    assert listed == panels["Routed to the fallback team"].count == 1


def test_a_rule_on_the_alerts_labels_routes_it_before_the_fallback(bare_alertmanager, team):
    RoutingRule.objects.create(name="Checkout alerts", team=team, labels={"service": "checkout"})
    post(sample("firing"), bare_alertmanager[1])
    incident = incident_of_the_sample()
    assert incident.team_id == team.pk
    titles = [entry.title for entry in incident_timeline(incident)]
    assert "Routed to Network by rule Checkout alerts" in titles


def test_a_rule_needs_every_label_common_to_the_group(bare_alertmanager, team, desk):
    RoutingRule.objects.create(name="Web 2", team=team, labels={"instance": "web-2:9100"})
    post(sample("firing"), bare_alertmanager[1])
    assert incident_of_the_sample().team_id == desk.pk


def test_the_integrations_default_team_is_named_and_not_routed(make_integration, team):
    _, token = make_integration("alertmanager", name="Teamed", default_team=team)
    post(sample("firing"), token)
    incident = incident_of_the_sample()
    assert incident.team_id == team.pk
    assert not incident.events.filter(kind=EventKind.ROUTED).exists()


def test_an_event_with_a_known_services_owner_is_not_routed(post_event, team):
    post_event(trigger(dedup_key="db1-disk"))
    incident = Incident.objects.get()
    assert incident.team_id == team.pk  # the integration's default service VPN, owned
    assert not incident.events.filter(kind=EventKind.ROUTED).exists()


def test_an_events_api_trigger_is_routed_on_its_payload_labels(make_integration, client, team):
    RoutingRule.objects.create(name="Database hosts", team=team, labels={"source": "db-1"})
    _, token = make_integration("events", name="Scripts without defaults")
    response = client.post(
        "/api/v1/events/",
        data=json.dumps(trigger(dedup_key="db1-disk")),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 202
    assert Incident.objects.get().team_id == team.pk


def test_the_fallback_setting_pointing_at_a_missing_team_still_opens_the_incident(
    bare_alertmanager, settings
):
    settings.ITSM_FALLBACK_TEAM = "no-such-team"
    assert post(sample("firing"), bare_alertmanager[1]).status_code == 200
    assert incident_of_the_sample().team.slug == "no-such-team"
