import pytest
from django.urls import reverse

from incidents import services
from incidents.choices import Channel

pytestmark = pytest.mark.django_db
URL = reverse("portal:incident-list")


def test_the_list_shows_incidents_the_user_reported_or_watches_only(
    alice, reporter, other_reporter, make_incident, responder
):
    mine = make_incident(title="My laptop")
    watched = make_incident(title="Shared drive", reporter=other_reporter)
    # Not a shared incident (no service): the service desk puts alice on it.
    services.incident_watch(incident=watched, user=reporter, actor=responder, via=Channel.ADMIN)
    stranger = make_incident(title="Bob's printer", reporter=other_reporter)
    page = alice.get(URL).content.decode()
    assert mine.number in page and watched.number in page
    assert stranger.number not in page and "Bob&#x27;s printer" not in page


def test_the_list_filters_open_and_closed(alice, make_incident, resolve, reporter):
    open_one = make_incident(title="Still broken")
    resolved = resolve(make_incident(title="Awaiting my confirmation"))
    closed = resolve(make_incident(title="Done"))
    services.incident_close(incident=closed, actor=reporter, via=Channel.PORTAL)

    open_page = alice.get(URL, {"status": "open"}).content.decode()
    assert open_one.number in open_page and resolved.number in open_page
    assert closed.number not in open_page

    closed_page = alice.get(URL, {"status": "closed"}).content.decode()
    assert closed.number in closed_page
    assert open_one.number not in closed_page and resolved.number not in closed_page

    everything = alice.get(URL, {"status": "bogus"}).content.decode()
    assert all(i.number in everything for i in (open_one, resolved, closed))


def test_the_list_costs_the_same_queries_for_many_rows(
    alice, make_incident, service, django_assert_num_queries
):
    for n in range(6):
        make_incident(title=f"Problem {n}", service=service)
    # session, user, the ids of my incidents, count for the paginator, the page of
    # incidents with service and team
    with django_assert_num_queries(5):
        response = alice.get(URL)
    assert response.content.decode().count("Problem ") == 6


def test_the_list_needs_a_signed_in_user(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
