"""POST /incidents/{number}/link-child/: staff make another incident part of this one."""

import pytest

from incidents.models import Incident
from tests.api.conftest import url


def link(client, parent, body):
    return client.post(url(f"incidents/{parent.number}/link-child/"), body, format="json")


pytestmark = pytest.mark.django_db


def test_a_responder_links_a_child_incident_by_its_number(responder_api, make_incident):
    parent, child = make_incident(title="Network down"), make_incident(title="No VPN")
    response = link(responder_api, parent, {"child": child.number})
    assert response.status_code == 200, response.json()
    assert response.json()["number"] == parent.number
    assert Incident.objects.get(pk=child.pk).parent_id == parent.pk
    reasons = child.history.values_list("history_change_reason", flat=True)
    assert f"Linked to {parent.number} via API" in reasons


@pytest.mark.parametrize(
    ("child", "said"),
    [
        ("INC9999999", "There is no incident INC9999999."),
        ("not a number!", "Give an incident number"),
        ("", "This field may not be blank."),
    ],
)
def test_a_child_that_cannot_be_found_is_400_naming_the_field(responder_api, incident, child, said):
    response = link(responder_api, incident, {"child": child})
    assert response.status_code == 400
    assert said in response.json()["errors"]["child"][0]


def test_an_incident_cannot_become_its_own_child_nor_a_grandchild(responder_api, make_incident):
    top, middle, leaf = (make_incident(title=t) for t in ("Top", "Middle", "Leaf"))
    assert link(responder_api, top, {"child": top.number}).status_code == 400
    assert link(responder_api, top, {"child": middle.number}).status_code == 200
    refused = link(responder_api, middle, {"child": leaf.number})
    assert refused.status_code == 400
    assert top.number in refused.json()["errors"]["parent"][0]
    assert Incident.objects.get(pk=leaf.pk).parent_id is None


def test_end_users_cannot_link_incidents(reporter_api, make_incident):
    parent, child = make_incident(title="Mine"), make_incident(title="Also mine")
    assert link(reporter_api, parent, {"child": child.number}).status_code == 403
    assert Incident.objects.get(pk=child.pk).parent_id is None
