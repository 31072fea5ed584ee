"""The incident list: open work by default, the filters responders use, search, order."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.choices import Channel
from incidents.models import Category
from tests.admin.conftest import CHANGELIST

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    return [incident.number for incident in response.context["cl"].result_list]


@pytest.fixture
def client(login, responder):
    return login(responder)


@pytest.fixture
def resolved(make_incident, responder):
    incident = make_incident(title="Old printer issue")
    return services.incident_resolve(
        incident=incident,
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Replaced the toner.",
    )


def test_list_shows_open_incidents_unless_asked_for_all(client, incident, resolved):
    assert numbers(client.get(reverse(CHANGELIST))) == [incident.number]
    everything = client.get(reverse(CHANGELIST), {"status": "all"})
    assert set(numbers(everything)) == {incident.number, resolved.number}
    only_resolved = client.get(reverse(CHANGELIST), {"status": "resolved"})
    assert numbers(only_resolved) == [resolved.number]


def test_list_columns_show_priority_badge_status_service_team_and_sla(client, incident):
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert incident.number in page and "VPN down" in page
    assert 'class="itsm-badge' in page and ">P3<" in page
    assert ">New<" in page and "Network" in page
    assert "in 3 h 59 min" in page or "in 4 h" in page  # P3 responds within 4 h


def test_sla_filters_find_breached_and_at_risk_incidents(client, make_incident, responder):
    now = timezone.now()
    on_track = make_incident(title="On track", impact="high", urgency="high")
    breached = make_incident(
        title="Breached", impact="high", urgency="high", opened_at=now - timedelta(hours=5)
    )
    at_risk = make_incident(
        title="At risk", impact="high", urgency="high", opened_at=now - timedelta(minutes=12)
    )
    assert numbers(client.get(reverse(CHANGELIST), {"sla": "breached"})) == [breached.number]
    assert numbers(client.get(reverse(CHANGELIST), {"sla": "at_risk"})) == [at_risk.number]
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "Breached</span>" in page and "At risk</span>" in page
    assert on_track.number in page


def test_assignee_filters_mine_and_unassigned(client, make_incident, responder, manager):
    mine = make_incident(title="Mine", assignee=responder)
    theirs = make_incident(title="Theirs", assignee=manager)
    nobody = make_incident(title="Nobody")
    assert numbers(client.get(reverse(CHANGELIST), {"assignee": "mine"})) == [mine.number]
    unassigned = client.get(reverse(CHANGELIST), {"assignee": "unassigned"})
    assert numbers(unassigned) == [nobody.number]
    by_person = client.get(reverse(CHANGELIST), {"assignee": manager.pk})
    assert numbers(by_person) == [theirs.number]


def test_team_filter_mine_covers_the_teams_i_belong_to(client, make_incident, service, team):
    ours = make_incident(title="Ours", service=service)
    make_incident(title="No team")
    assert numbers(client.get(reverse(CHANGELIST), {"team": "mine"})) == [ours.number]


def test_a_top_category_includes_its_subcategories(client, make_incident):
    hardware = Category.objects.create(name="Hardware")
    laptop = Category.objects.create(name="Laptop", parent=hardware)
    in_child = make_incident(title="Laptop broken", category=laptop)
    make_incident(title="Unclassified")
    found = numbers(client.get(reverse(CHANGELIST), {"category": hardware.pk}))
    assert found == [in_child.number]


def test_search_by_number_is_exact_and_by_reporter_finds_their_incidents(
    client, make_incident, other_reporter
):
    first = make_incident(title="Mail bounces")
    bobs = make_incident(title="Screen flickers", reporter=other_reporter)
    assert numbers(client.get(reverse(CHANGELIST), {"q": first.number.lower()})) == [first.number]
    assert numbers(client.get(reverse(CHANGELIST), {"q": "bob@example"})) == [bobs.number]
    assert numbers(client.get(reverse(CHANGELIST), {"q": "flickers"})) == [bobs.number]


def test_list_is_ordered_by_priority_then_due_time(client, make_incident):
    low = make_incident(title="Low", impact="low", urgency="low")
    critical = make_incident(title="Critical", impact="high", urgency="high")
    older_p3 = make_incident(title="Older", opened_at=timezone.now() - timedelta(hours=1))
    newer_p3 = make_incident(title="Newer")
    assert numbers(client.get(reverse(CHANGELIST))) == [
        critical.number,
        older_p3.number,
        newer_p3.number,
        low.number,
    ]


def test_a_nonsense_filter_value_is_a_clear_redirect_not_an_error(client, incident):
    for params in ({"status": "exploded"}, {"assignee": "1 OR 1=1"}, {"sla": "x"}):
        response = client.get(reverse(CHANGELIST), params)
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")
