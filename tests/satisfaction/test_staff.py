"""Staff see the rating on the incident's admin page and in the API detail."""

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create
from satisfaction.services import rating_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(resolved, reporter):
    rating_record(incident=resolved, user_or_token=reporter, score=4, comment="Well done.")
    return resolved


def api_for(user) -> APIClient:
    _, secret = api_token_create(user=user, name="tests")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


def test_the_admin_change_page_shows_the_rating(rated, client_for, responder):
    page = client_for(responder).get(rated.get_admin_url()).content.decode()
    assert "Reporter satisfaction" in page
    assert "4 – Satisfied" in page and "Well done." in page


def test_the_admin_change_page_says_when_nobody_rated_yet(resolved, client_for, responder):
    page = client_for(responder).get(resolved.get_admin_url()).content.decode()
    assert "The reporter has not rated this incident." in page


def test_staff_read_the_rating_in_the_api_incident_detail(rated, responder):
    body = api_for(responder).get(f"/api/v1/incidents/{rated.number}/").json()
    rating = body["satisfaction"]
    assert (rating["score"], rating["satisfied"], rating["comment"]) == (4, True, "Well done.")


def test_the_api_detail_shows_no_rating_as_null(resolved, responder):
    body = api_for(responder).get(f"/api/v1/incidents/{resolved.number}/").json()
    assert body["satisfaction"] is None


def test_the_reporter_does_not_get_the_satisfaction_field(rated, reporter):
    body = api_for(reporter).get(f"/api/v1/incidents/{rated.number}/").json()
    assert body["number"] == rated.number
    assert "satisfaction" not in body


def test_the_rating_admin_lists_ratings_read_only(rated, client_for, manager):
    client = client_for(manager)
    page = client.get("/admin/satisfaction/rating/").content.decode()
    assert rated.number in page
    assert client.post("/admin/satisfaction/rating/add/").status_code == 403
