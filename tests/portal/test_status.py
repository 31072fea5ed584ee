import pytest
from django.urls import reverse

from incidents import services
from incidents.choices import Channel, ServiceStatus
from incidents.models import Service

pytestmark = pytest.mark.django_db
URL = reverse("status")


def states(client):
    return {s.service.name: s.state for s in client.get(URL).context["states"]}


def test_the_status_page_needs_no_login(client, service):
    response = client.get(URL)
    assert response.status_code == 200
    assert "VPN" in response.content.decode() and "Operational" in response.content.decode()


def test_states_come_from_open_incidents(client, make_incident, team, responder):
    email = Service.objects.create(name="E-mail", slug="email", owner_team=team)
    vpn = Service.objects.create(name="VPN", slug="vpn", owner_team=team)
    wifi = Service.objects.create(name="Wi-Fi", slug="wifi", owner_team=team)
    make_incident(service=email, impact="medium", urgency="low")
    make_incident(service=vpn, impact="high", urgency="high")
    make_incident(service=wifi, impact="low", urgency="high")  # affects its reporter only
    assert states(client) == {
        "E-mail": ServiceStatus.DEGRADED,
        "VPN": ServiceStatus.OUTAGE,
        "Wi-Fi": ServiceStatus.OPERATIONAL,
    }


def test_a_major_incident_of_low_priority_is_an_outage(client, make_incident, service, manager):
    incident = make_incident(service=service, impact="low", urgency="low")
    services.incident_declare_major(incident=incident, actor=manager, via=Channel.ADMIN)
    assert states(client) == {"VPN": ServiceStatus.OUTAGE}


def test_resolved_incidents_no_longer_count(client, incident, resolve):
    resolve(incident)
    assert states(client) == {"VPN": ServiceStatus.OPERATIONAL}


def test_a_managers_override_wins(client, service, make_incident):
    make_incident(service=service, impact="high", urgency="high")
    Service.objects.filter(pk=service.pk).update(status_override=ServiceStatus.MAINTENANCE)
    assert states(client) == {"VPN": ServiceStatus.MAINTENANCE}
    assert "Under maintenance" in client.get(URL).content.decode()


def test_inactive_services_are_not_listed(client, service):
    Service.objects.create(name="Fax", slug="fax", active=False)
    assert list(states(client)) == ["VPN"]


def test_major_incidents_show_only_the_service_desks_public_updates(
    client, make_incident, service, manager, responder, reporter
):
    major = make_incident(title="VPN outage", service=service)
    services.incident_declare_major(incident=major, actor=manager, via=Channel.ADMIN)
    services.incident_comment(
        incident=major, author=responder, body="Gateway restarting", public=True, via=Channel.ADMIN
    )
    services.incident_comment(
        incident=major, author=responder, body="Firmware 4.2 bug", public=False, via=Channel.ADMIN
    )
    services.incident_comment(
        incident=major, author=reporter, body="My phone is 555-0199", public=True, via="portal"
    )
    page = client.get(URL).content.decode()
    assert "VPN outage" in page and "Gateway restarting" in page
    assert "Firmware" not in page and "555-0199" not in page
    assert major.number not in page and "@example.com" not in page
    assert "Network" not in page  # no team names


def test_the_page_costs_the_same_queries_with_many_services(
    client, team, make_incident, manager, responder, django_assert_num_queries
):
    for n in range(4):
        service = Service.objects.create(name=f"Service {n}", slug=f"s{n}", owner_team=team)
        major = make_incident(service=service)
        services.incident_declare_major(incident=major, actor=manager, via=Channel.ADMIN)
        services.incident_comment(
            incident=major, author=responder, body="On it", public=True, via=Channel.ADMIN
        )
    # services with states, the most severe ongoing incidents, how many in all (capped),
    # their official updates, public maintenance, the uptime rollup (statuspage.snapshot)
    with django_assert_num_queries(6):
        page = client.get(URL).content.decode()
    assert page.count("On it") == 4


def test_visitors_get_the_cached_page_until_an_incident_event_is_dispatched(
    client, make_incident, service, django_assert_num_queries, django_capture_on_commit_callbacks
):
    assert "Operational" in client.get(URL).content.decode()
    with django_assert_num_queries(0):  # the shared cache answers: no database at all
        assert "Operational" in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # dispatch runs the handlers
        make_incident(service=service, impact="high", urgency="high")
    assert "Outage" in client.get(URL).content.decode()


def test_the_page_says_how_fresh_its_figures_are(client, service):
    for page in (client.get(URL), client.get(URL)):  # computed, then from the cache
        assert "at least every 10 seconds" in page.content.decode()
        assert set(page["Cache-Control"].split(", ")) == {"public", "max-age=10"}
