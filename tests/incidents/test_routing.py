"""Every incident has a responsible team from the moment it is created: the team named,
else the service's owner team, else the first matching routing rule, else the fallback
team (ITSM_FALLBACK_TEAM)."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from incidents import routing, services
from incidents.choices import Channel, EventKind
from incidents.models import Category, IncidentEvent, RoutingRule, Service, Team
from incidents.selectors import incident_timeline
from itsm import env

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db):
    """The fallback team the data migration seeded."""
    return Team.objects.get(slug="service-desk")


@pytest.fixture
def platform(db):
    return Team.objects.create(name="Platform", slug="platform")


@pytest.fixture
def storage(db):
    return Team.objects.create(name="Storage", slug="storage")


@pytest.fixture
def orphan(db):
    """A service nobody owns."""
    return Service.objects.create(name="Checkout", slug="checkout")


def rule(name, team, position=0, **conditions):
    return RoutingRule.objects.create(name=name, team=team, position=position, **conditions)


def routed_events(incident):
    return list(IncidentEvent.objects.filter(incident=incident, kind=EventKind.ROUTED))


def test_the_fallback_team_is_seeded_as_service_desk(desk):
    assert desk.name == "Service desk"


def test_a_named_team_wins_over_the_service_owner_rules_and_fallback(
    make_incident, service, platform, storage
):
    rule("Everything VPN", storage, service=service)
    incident = make_incident(service=service, team=platform)
    assert incident.team_id == platform.pk
    assert routing.route(team=platform, service=service, channel=Channel.PORTAL).how == "given"
    assert routed_events(incident) == []


def test_the_service_owner_team_wins_over_rules_and_is_not_recorded_as_routed(
    make_incident, service, team, storage
):
    rule("Everything VPN", storage, service=service)
    incident = make_incident(service=service)
    assert incident.team_id == team.pk
    assert routed_events(incident) == []


def test_the_first_matching_rule_by_position_wins_when_the_service_has_no_owner(
    make_incident, orphan, platform, storage
):
    rule("Late", platform, position=20, service=orphan)
    rule("Early", storage, position=10, service=orphan)
    incident = make_incident(service=orphan)
    assert incident.team_id == storage.pk
    [event] = routed_events(incident)
    assert event.data == {
        "how": "rule",
        "rule": "Early",
        "team": storage.pk,
        "team_name": "Storage",
    }


def test_an_incident_no_rule_matches_goes_to_the_fallback_team(make_incident, desk, platform):
    rule("Monitoring only", platform, channel=Channel.MONITORING)
    incident = make_incident()
    assert incident.team_id == desk.pk
    [event] = routed_events(incident)
    assert event.data["how"] == "fallback" and event.data["team"] == desk.pk


def test_an_inactive_rule_is_ignored(make_incident, orphan, desk, platform):
    rule("Switched off", platform, service=orphan, active=False)
    assert make_incident(service=orphan).team_id == desk.pk


def test_a_rule_matches_when_all_its_labels_are_equal(platform):
    rule("Checkout pages", platform, labels={"service": "checkout", "severity": "critical"})
    both = {"service": "checkout", "severity": "critical", "instance": "web-1"}
    one = {"service": "checkout", "severity": "warning"}
    assert routing.route(channel=Channel.MONITORING, labels=both).team_id == platform.pk
    assert routing.route(channel=Channel.MONITORING, labels=one).how == "fallback"
    assert routing.route(channel=Channel.MONITORING).how == "fallback"


def test_a_rule_on_a_top_category_also_takes_its_subcategories(platform, storage):
    hardware = Category.objects.create(name="Hardware")
    laptop = Category.objects.create(name="Laptop", parent=hardware)
    printer = Category.objects.create(name="Printer", parent=hardware)
    rule("Laptops", storage, position=1, category=laptop)
    rule("Hardware", platform, position=2, category=hardware)
    assert routing.route(category=laptop, channel=Channel.PORTAL).team_id == storage.pk
    assert routing.route(category=printer, channel=Channel.PORTAL).team_id == platform.pk
    assert routing.route(category=hardware, channel=Channel.PORTAL).team_id == platform.pk


def test_a_rule_on_a_subcategory_does_not_take_its_parent_or_siblings(platform):
    hardware = Category.objects.create(name="Hardware")
    laptop = Category.objects.create(name="Laptop", parent=hardware)
    printer = Category.objects.create(name="Printer", parent=hardware)
    rule("Laptops", platform, category=laptop)
    assert routing.route(category=hardware, channel=Channel.PORTAL).how == "fallback"
    assert routing.route(category=printer, channel=Channel.PORTAL).how == "fallback"


def test_a_rule_on_a_channel_matches_only_that_channel(make_incident, reporter, platform, desk):
    rule("Phone calls", platform, channel=Channel.PHONE)
    by_phone = make_incident(via=Channel.PHONE)
    by_portal = make_incident(via=Channel.PORTAL)
    assert (by_phone.team_id, by_portal.team_id) == (platform.pk, desk.pk)


def test_the_timeline_says_which_rule_or_that_the_fallback_took_it(
    make_incident, orphan, platform, desk
):
    rule("Checkout to Platform", platform, service=orphan)
    titles = [e.title for e in incident_timeline(make_incident(service=orphan))]
    assert "Routed to Platform by rule Checkout to Platform" in titles
    titles = [e.title for e in incident_timeline(make_incident())]
    assert "Routed to the fallback team Service desk (no owner team, no matching rule)" in titles


def test_the_routed_entry_is_staff_only_on_the_timeline(make_incident, desk):
    [entry] = [e for e in incident_timeline(make_incident()) if e.title.startswith("Routed")]
    assert entry.public is False and entry.kind == "routing"


def test_routing_to_the_fallback_sends_no_mail_of_its_own(
    make_incident, desk, mailoutbox, django_capture_on_commit_callbacks
):
    desk.email = "desk@example.com"
    desk.save()
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident()
    assert routed_events(incident)
    # The reporter's confirmation and the team's "new incident": the created event's.
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.com", "desk@example.com"]


def test_a_missing_fallback_team_is_created_and_the_incident_still_succeeds(
    make_incident, settings, caplog
):
    settings.ITSM_FALLBACK_TEAM = "night-shift"
    incident = make_incident()
    created = Team.objects.get(slug="night-shift")
    assert incident.team_id == created.pk and created.name == "Night shift"
    assert "does not exist" in caplog.text
    assert make_incident().team_id == created.pk  # created once


def test_a_fallback_team_whose_name_is_taken_is_created_under_another_name(make_incident, settings):
    Team.objects.create(name="Night shift", slug="nights")
    settings.ITSM_FALLBACK_TEAM = "night-shift"
    assert make_incident().team.name == "Night shift (night-shift)"


def test_a_deleted_fallback_team_is_created_again(make_incident, desk):
    make_incident(team=desk).delete()  # the cache now knows the team
    routing.fallback_team()
    desk.delete()
    incident = make_incident()
    assert incident.team.slug == "service-desk" and incident.team_id != desk.pk


def test_a_new_rule_applies_to_the_next_incident_at_once(make_incident, orphan, desk, platform):
    assert make_incident(service=orphan).team_id == desk.pk  # rules now cached
    rule("Checkout to Platform", platform, service=orphan)
    assert make_incident(service=orphan).team_id == platform.pk


def test_a_rule_needs_at_least_one_condition(platform):
    with pytest.raises(ValidationError, match="at least one condition"):
        RoutingRule(name="Everything", team=platform).full_clean()


@pytest.mark.parametrize("labels", [["service"], {"service": 1}, {"": "x"}, "checkout"])
def test_labels_must_be_an_object_of_text_values(platform, labels):
    with pytest.raises(ValidationError) as caught:
        RoutingRule(name="Bad", team=platform, labels=labels).full_clean()
    assert "JSON object" in str(caught.value.message_dict["labels"])


def test_the_fallback_setting_must_be_a_slug(monkeypatch):
    monkeypatch.setenv("ITSM_FALLBACK_TEAM", "Service desk!")
    with pytest.raises(ImproperlyConfigured, match="not a slug"):
        env.slug("ITSM_FALLBACK_TEAM", "service-desk")
    monkeypatch.setenv("ITSM_FALLBACK_TEAM", "night-shift")
    assert env.slug("ITSM_FALLBACK_TEAM", "service-desk") == "night-shift"


def test_routing_uses_no_query_when_the_service_owner_decides(service, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert routing.route(service=service, channel=Channel.PORTAL).how == "service"


def test_routing_to_the_fallback_reads_the_database_once_per_cache_period(
    desk, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the active rules, the fallback team
        routing.route(channel=Channel.EMAIL)
    with django_assert_num_queries(0):
        assert routing.route(channel=Channel.EMAIL).team_id == desk.pk


def test_an_incident_created_by_services_has_a_team_from_every_channel(reporter, desk):
    for channel in (Channel.PORTAL, Channel.EMAIL, Channel.API, Channel.PHONE):
        incident = services.incident_create(title="Help", reporter=reporter, via=channel)
        assert incident.team_id == desk.pk, channel
