"""Codes the system sets (auto-resolved by monitoring, duplicate) are not offered to people,
and a person sending one is told which codes they may use."""

import pytest

from incidents.choices import Status
from tests.api.conftest import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["auto_resolved", "duplicate"])
def test_resolving_with_a_code_the_system_reserves_is_400_naming_the_field(
    responder_api, incident, code
):
    response = responder_api.post(
        url(f"incidents/{incident.number}/resolve/"),
        {"resolution_code": code, "resolution_notes": "Looks fine now."},
        format="json",
    )
    assert response.status_code == 400, response.json()
    message = response.json()["errors"]["resolution_code"][0]
    assert "set by the system only" in message and "fixed" in message
    assert code not in message.split("(")[1]
    incident.refresh_from_db()
    assert incident.status == Status.NEW and incident.resolution_code is None


def test_the_resolution_codes_list_leaves_out_the_systems_own(responder_api):
    codes = {row["code"] for row in responder_api.get(url("resolution-codes/")).json()}
    assert "fixed" in codes
    assert not codes & {"auto_resolved", "duplicate"}
