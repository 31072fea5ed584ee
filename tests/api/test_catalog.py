import pytest

from incidents.models import Category
from tests.api.conftest import url

pytestmark = pytest.mark.django_db


def test_services_list_slugs_and_owner_teams(reporter_api, service):
    response = reporter_api.get(url("services/"))
    assert response.status_code == 200
    assert {"slug": "vpn", "owner_team": "network"}.items() <= response.json()[0].items()


def test_teams_are_listed_by_slug(reporter_api, team):
    assert reporter_api.get(url("teams/")).json() == [
        {"slug": "network", "name": "Network", "email": "network@example.com"},
        {"slug": "service-desk", "name": "Service desk", "email": ""},  # the seeded fallback
    ]


def test_categories_carry_their_full_name_and_parent(reporter_api):
    hardware = Category.objects.create(name="Hardware")
    laptop = Category.objects.create(name="Laptop", parent=hardware)
    rows = {row["id"]: row for row in reporter_api.get(url("categories/")).json()}
    assert rows[laptop.pk]["full_name"] == "Hardware / Laptop"
    assert rows[laptop.pk]["parent"] == hardware.pk


def test_hold_reasons_and_resolution_codes_list_the_codes_transitions_accept(reporter_api):
    reasons = {row["code"] for row in reporter_api.get(url("hold-reasons/")).json()}
    codes = {row["code"] for row in reporter_api.get(url("resolution-codes/")).json()}
    assert "awaiting_user" in reasons
    assert "fixed" in codes


@pytest.mark.parametrize(
    ("persona", "role"),
    [("reporter", "end_user"), ("responder", "responder"), ("manager", "manager")],
)
def test_me_tells_the_role_of_the_tokens_user(persona, role, client_for, request, team):
    user = request.getfixturevalue(persona)
    data = client_for(user).get(url("users/me/")).json()
    assert data["role"] == role
    assert data["username"] == user.username
