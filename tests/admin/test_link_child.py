"""Linking child incidents to a parent from the incident list: through the service, each
refusal reported."""

import pytest

from incidents.choices import EventKind
from incidents.models import Incident, ResolutionCode
from tests.admin.conftest import messages_of
from tests.admin.test_actions import act, confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(login, responder):
    return login(responder)


def test_a_responder_links_incidents_to_a_parent_by_its_number(client, make_incident):
    parent = make_incident(title="Network down in building B")
    children = [make_incident(title="No VPN"), make_incident(title="No Wi-Fi")]
    page = act(client, "link_to_parent", children).content.decode()
    assert "Parent incident" in page
    typed = "inc" + parent.number[3:].lstrip("0")  # as people type it: any case, no zeros
    response = confirm(client, "link_to_parent", children, parent=typed)
    assert all(Incident.objects.get(pk=c.pk).parent_id == parent.pk for c in children)
    assert f"Linked: {children[0].number}, {children[1].number}." in messages_of(response)
    assert parent.events.filter(kind=EventKind.LINKED).count() == 2


def test_linking_reports_each_refusal_and_an_unknown_parent(client, make_incident):
    parent, child = make_incident(title="Parent"), make_incident(title="Child")
    unknown = confirm(client, "link_to_parent", [child], parent="INC9999999")
    assert "There is no incident INC9999999." in unknown.content.decode()
    response = confirm(client, "link_to_parent", [parent, child], parent=parent.number)
    said = messages_of(response)
    assert f"{parent.number}: An incident cannot be its own parent." in said
    assert f"Linked: {child.number}." in said
    assert Incident.objects.get(pk=child.pk).parent_id == parent.pk


def test_the_resolve_form_does_not_offer_the_systems_own_codes(client, make_incident):
    incident = make_incident()
    page = act(client, "resolve", [incident]).content.decode()
    for code in ResolutionCode.objects.filter(code__in=["auto_resolved", "duplicate"]):
        assert f'value="{code.pk}"' not in page
    fixed = ResolutionCode.objects.get(code="fixed")
    assert f'value="{fixed.pk}"' in page
    reserved = ResolutionCode.objects.get(code="auto_resolved")
    refused = confirm(
        client, "resolve", [incident], resolution_code=reserved.pk, resolution_notes="Gone."
    )
    assert "Select a valid choice" in refused.content.decode()
    assert Incident.objects.get(pk=incident.pk).resolution_code is None
