"""The rating form on the reporter's portal page of a resolved incident."""

import pytest

from satisfaction.models import Rating

pytestmark = pytest.mark.django_db


def page_of(client, incident) -> str:
    return client.get(incident.get_absolute_url()).content.decode()


def test_the_reporter_of_a_resolved_incident_is_asked_for_a_rating(resolved, client_for, reporter):
    page = page_of(client_for(reporter), resolved)
    assert "How did we do?" in page
    assert f'action="/rate/incidents/{resolved.number}/"' in page


def test_the_rating_is_recorded_from_the_portal_and_shown_afterwards(
    resolved, client_for, reporter
):
    client = client_for(reporter)
    response = client.post(
        f"/rate/incidents/{resolved.number}/", {"score": "4", "comment": "Thanks!"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{resolved.get_absolute_url()}#rating-heading"
    assert Rating.objects.get().score == 4
    page = page_of(client, resolved)
    assert "Your rating" in page and "4 – Satisfied" in page and "Thanks!" in page
    assert "Change your rating" in page


def test_a_bad_score_from_the_portal_is_shown_as_a_form_error(resolved, client_for, reporter):
    response = client_for(reporter).post(
        f"/rate/incidents/{resolved.number}/", {"score": "", "comment": "Kept"}
    )
    assert response.status_code == 400
    assert "Choose a score from 1 to 5." in response.content.decode()
    assert "Kept" in response.content.decode()


def test_nobody_else_is_asked_and_nobody_else_can_rate(
    resolved, client_for, other_reporter, responder
):
    resolved.watchers.add(other_reporter)
    follower = client_for(other_reporter)
    assert "How did we do?" not in page_of(follower, resolved)
    response = follower.post(f"/rate/incidents/{resolved.number}/", {"score": "1"})
    assert response.status_code == 400
    assert "Only the person who reported" in response.content.decode()
    assert not Rating.objects.exists()


def test_an_open_incident_shows_no_rating_form(incident, client_for, reporter):
    assert "How did we do?" not in page_of(client_for(reporter), incident)


def test_rating_from_the_portal_needs_a_sign_in(resolved, client):
    response = client.post(f"/rate/incidents/{resolved.number}/", {"score": "5"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Rating.objects.exists()
