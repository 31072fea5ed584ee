import pytest
from django.urls import reverse

from incidents import services
from incidents.choices import Channel

pytestmark = pytest.mark.django_db
URL = reverse("portal:home")


def test_home_offers_to_report_a_problem(alice):
    page = alice.get(URL).content.decode()
    assert reverse("portal:report") in page and "Report a problem" in page


def test_home_lists_my_open_incidents_but_not_closed_ones(alice, make_incident, resolve, reporter):
    open_one = make_incident(title="Printer jams")
    done = resolve(make_incident(title="Old problem"))
    services.incident_close(incident=done, actor=reporter, via=Channel.PORTAL)
    page = alice.get(URL).content.decode()
    assert open_one.number in page and "Old problem" not in page


def test_home_lists_known_problems_on_services_major_first(
    alice, make_incident, service, other_reporter, manager
):
    minor = make_incident(title="VPN slow", reporter=other_reporter, service=service)
    major = make_incident(title="VPN down everywhere", reporter=other_reporter, service=service)
    services.incident_declare_major(incident=major, actor=manager, via=Channel.ADMIN)
    make_incident(title="Bob's own laptop", reporter=other_reporter)  # no service: private
    page = alice.get(URL).content.decode()
    assert page.index("VPN down everywhere") < page.index("VPN slow")
    assert reverse("portal:incident-follow", args=[minor.number]) in page
    assert "laptop" not in page
    assert "bob@example.com" not in page


def test_home_costs_the_same_queries_for_many_incidents(
    alice, make_incident, service, django_assert_num_queries
):
    for n in range(5):
        make_incident(title=f"Mine {n}", service=service)
    # session, user, the ids of my incidents (reported or watched), my open incidents,
    # known incidents (not mine)
    with django_assert_num_queries(5):
        alice.get(URL)


def test_known_problems_i_already_follow_are_listed_only_as_mine(alice, make_incident, service):
    mine = make_incident(title="VPN slow", service=service)
    mine_part, known_part = alice.get(URL).content.decode().split("Problems we already know")
    assert mine.number in mine_part and mine.number not in known_part


def test_home_needs_a_signed_in_user(client):
    assert client.get(URL)["Location"].startswith("/accounts/login/")
