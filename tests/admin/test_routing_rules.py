"""Managers keep the routing rules in the workspace; responders may only look. Bad input is
a form error naming what to write, never a 500."""

import pytest
from django.urls import reverse

from incidents import services
from incidents.choices import Channel
from incidents.models import Incident, RoutingRule, Team

pytestmark = pytest.mark.django_db
ADD = reverse("admin:incidents_routingrule_add")
LIST = reverse("admin:incidents_routingrule_changelist")


@pytest.fixture
def manager_client(login, manager):
    return login(manager)


def rule_form(team, **fields) -> dict:
    form = {"name": "Checkout alerts", "position": "10", "active": "on", "team": team.pk}
    form.update(fields)
    return form


def test_a_manager_adds_a_rule_on_alert_labels_and_history_records_who(
    manager_client, manager, team
):
    data = rule_form(team, labels='{"service": "checkout", "severity": "critical"}')
    response = manager_client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule = RoutingRule.objects.get()
    assert rule.labels == {"service": "checkout", "severity": "critical"}
    assert rule.history.get().history_user == manager


def test_labels_that_are_not_json_are_a_form_error_with_an_example(manager_client, team):
    response = manager_client.post(ADD, rule_form(team, labels="service=checkout"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["labels"]
    assert errors == ['Enter the labels as a JSON object, e.g. {"service": "checkout", '
                      '"severity": "critical"}.']  # fmt: skip
    assert not RoutingRule.objects.exists()


@pytest.mark.parametrize("labels", ['["checkout"]', '{"service": 5}', '"checkout"'])
def test_labels_that_are_json_but_not_an_object_of_text_are_a_form_error(
    manager_client, team, labels
):
    response = manager_client.post(ADD, rule_form(team, labels=labels))
    assert response.status_code == 200
    assert "JSON object" in response.context["adminform"].form.errors["labels"][0]


def test_a_rule_without_any_condition_is_refused_with_the_reason(manager_client, team):
    response = manager_client.post(ADD, rule_form(team, labels=""))
    assert response.status_code == 200
    assert "at least one condition" in str(response.context["adminform"].form.errors)
    assert "ITSM_FALLBACK_TEAM" in response.content.decode()


def test_managers_reorder_rules_in_the_list(manager_client, team):
    first = RoutingRule.objects.create(name="A", position=1, team=team, channel="phone")
    second = RoutingRule.objects.create(name="B", position=2, team=team, channel="email")
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": first.pk,
        "form-0-position": "5",
        "form-0-active": "on",
        "form-1-id": second.pk,
        "form-1-position": "3",
        "form-1-active": "on",
        "_save": "Save",
    }
    assert manager_client.post(LIST, data).status_code == 302
    assert [rule.name for rule in RoutingRule.objects.all()] == ["B", "A"]


def test_the_list_shows_each_rules_conditions_in_a_fixed_number_of_queries(
    manager_client, team, service, django_assert_max_num_queries
):
    for n in range(12):
        RoutingRule.objects.create(name=f"R{n}", position=n, team=team, service=service)
    # 1. the session, 2. the user, 3.-4. user and group permissions, 5. the teams for
    # the team filter, 6.-7. the filtered and the full count, 8. the page of rules with
    # service, category (and its parent) and team joined.
    with django_assert_max_num_queries(8):
        response = manager_client.get(LIST)
    assert "service VPN" in response.content.decode()


def test_a_responder_may_look_at_rules_but_not_change_them(login, responder, team):
    rule = RoutingRule.objects.create(name="Phones", team=team, channel="phone")
    client = login(responder)
    change = reverse("admin:incidents_routingrule_change", args=[rule.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, rule_form(team, channel="email")).status_code == 403
    assert client.post(ADD, rule_form(team, channel="email")).status_code == 403
    delete = reverse("admin:incidents_routingrule_delete", args=[rule.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    rule.refresh_from_db()
    assert rule.channel == "phone"


def test_a_manager_deletes_a_rule(manager_client, team):
    rule = RoutingRule.objects.create(name="Phones", team=team, channel="phone")
    delete = reverse("admin:incidents_routingrule_delete", args=[rule.pk])
    assert manager_client.post(delete, {"post": "yes"}).status_code == 302
    assert not RoutingRule.objects.exists()


def test_an_incident_logged_without_a_team_gets_one_from_the_rules(
    login, responder, reporter, team
):
    RoutingRule.objects.create(name="Phones", team=team, channel="phone")
    data = {
        "title": "Printer jammed",
        "reporter": reporter.pk,
        "channel": "phone",
        "impact": "low",
        "urgency": "low",
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
    }
    response = login(responder).post(reverse("admin:incidents_incident_add"), data)
    assert response.status_code == 302
    incident = Incident.objects.get(title="Printer jammed")
    assert incident.team_id == team.pk
    change = reverse("admin:incidents_incident_change", args=[incident.pk])
    page = login(responder).get(change).content.decode()
    assert "Routed to Network by rule Phones" in page


def test_the_fallback_panel_is_empty_and_says_so_when_nothing_is_routed_there(
    login, responder, make_incident, service
):
    make_incident(service=service)
    response = login(responder).get(reverse("admin:index"))
    panels = {p.title: p for p in response.context["dashboard"].panels}
    assert panels["Routed to the fallback team"].count == 0
    assert "No incident waits for triage" in response.content.decode()


def test_the_fallback_panel_lists_open_incidents_still_with_the_fallback_team(
    login, responder, make_incident
):
    desk = Team.objects.get(slug="service-desk")
    waiting = make_incident(title="Nobody's")
    services.incident_resolve(
        incident=make_incident(title="Done already"),
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Cleared the queue.",
    )
    make_incident(title="Named", team=desk)  # also with the fallback team: listed
    response = login(responder).get(reverse("admin:index"))
    panel = {p.title: p for p in response.context["dashboard"].panels}[
        "Routed to the fallback team"
    ]
    assert sorted(i.title for i in panel.incidents) == ["Named", waiting.title]
    assert panel.count == 2


def test_the_dashboard_works_when_the_fallback_team_does_not_exist(login, responder, settings):
    settings.ITSM_FALLBACK_TEAM = "no-such-team"
    response = login(responder).get(reverse("admin:index"))
    assert response.status_code == 200
    panels = {p.title: p for p in response.context["dashboard"].panels}
    assert panels["Routed to the fallback team"].count == 0
    assert not Team.objects.filter(slug="no-such-team").exists()  # a read creates nothing
