"""The signed links of the resolved mail: opening one shows, only a POST records."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from incidents import services
from incidents.choices import Channel
from satisfaction.models import Rating

pytestmark = pytest.mark.django_db


def test_opening_a_link_shows_the_chosen_score_and_records_nothing(resolved, link_for):
    response = Client().get(link_for(resolved, 4))
    assert response.status_code == 200
    page = response.content.decode()
    assert resolved.number in page
    assert re.search(r'<input[^>]*value="4"[^>]*checked', page)
    assert 'name="comment"' in page
    assert not Rating.objects.exists()


def test_a_post_to_the_link_records_the_rating_without_signing_in(resolved, link_for, reporter):
    client = Client()
    url = link_for(resolved, 4)
    client.get(url)
    response = client.post(url, {"score": "5", "comment": "Quick and friendly."})
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.incident, rating.reporter, rating.score) == (resolved, reporter, 5)
    assert rating.comment == "Quick and friendly."
    assert rating.history.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "your rating of INC0001001 is recorded" in page


def test_a_second_post_changes_the_rating_while_the_incident_stays_resolved(resolved, link_for):
    url = link_for(resolved, 2)
    Client().post(url, {"score": "2"})
    Client().post(url, {"score": "3", "comment": "On second thought, fine."})
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (3, "On second thought, fine.")
    assert rating.history.count() == 2


def test_a_closed_incident_keeps_its_rating_final(resolved, link_for, reporter):
    Client().post(link_for(resolved, 4), {"score": "4"})
    services.incident_close(incident=resolved, actor=reporter, via=Channel.PORTAL)
    response = Client().post(link_for(resolved, 1), {"score": "1"})
    assert response.status_code == 400
    assert "can no longer be changed" in response.content.decode()
    assert Rating.objects.get().score == 4


def test_a_closed_incident_not_yet_rated_can_still_be_rated(resolved, link_for, reporter):
    services.incident_close(incident=resolved, actor=reporter, via=Channel.PORTAL)
    assert Client().post(link_for(resolved, 5), {"score": "5"}).status_code == 302
    assert Rating.objects.get().score == 5


def test_a_tampered_link_shows_a_clear_page_and_records_nothing(resolved, link_for):
    url = link_for(resolved, 5)
    forged = url.replace(url.split(":")[0].split("/")[-1], "eyJpIjo5OSwidSI6MSwicyI6NX0")
    for response in (Client().get(forged), Client().post(forged, {"score": "5"})):
        assert response.status_code == 400
        assert "This rating link is not valid" in response.content.decode()
    assert not Rating.objects.exists()


def test_an_expired_link_shows_a_clear_page_and_records_nothing(resolved, link_for, settings):
    url = link_for(resolved, 5)
    later = timezone.now() + timedelta(days=settings.ITSM_CSAT_LINK_DAYS, minutes=1)
    with time_machine.travel(later):
        get, post = Client().get(url), Client().post(url, {"score": "5"})
    for response in (get, post):
        assert response.status_code == 410
        assert "This rating link has expired" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_link_made_for_someone_else_than_the_reporter_is_refused(
    resolved, link_for, other_reporter
):
    url = link_for(resolved, 1, user_id=other_reporter.pk)
    assert Client().post(url, {"score": "1"}).status_code == 400
    assert not Rating.objects.exists()


def test_someone_else_signed_in_cannot_use_the_reporters_link(
    resolved, link_for, client_for, other_reporter
):
    response = client_for(other_reporter).post(link_for(resolved, 1), {"score": "1"})
    assert response.status_code == 403
    assert "sent to someone else" in response.content.decode()
    assert not Rating.objects.exists()


def test_the_signed_in_reporter_can_use_their_link(resolved, link_for, client_for, reporter):
    response = client_for(reporter).post(link_for(resolved, 4), {"score": "4"})
    assert response.status_code == 302
    assert Rating.objects.get().reporter == reporter


def test_an_incident_not_resolved_cannot_be_rated(incident, link_for):
    url = link_for(incident, 5)
    get = Client().get(url)
    assert get.status_code == 409
    assert "once it is resolved" in get.content.decode()
    post = Client().post(url, {"score": "5"})
    assert post.status_code == 400
    assert "once it is resolved" in post.content.decode()
    assert not Rating.objects.exists()


def test_a_reopened_incident_cannot_be_rated_from_the_mail_it_sent_before(
    resolved, link_for, reporter
):
    services.incident_reopen(incident=resolved, actor=reporter, via=Channel.PORTAL, reason="")
    assert Client().post(link_for(resolved, 5), {"score": "5"}).status_code == 400
    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", ["", "0", "6", "five"])
def test_a_score_out_of_range_is_a_form_error_and_keeps_the_comment(resolved, link_for, score):
    response = Client().post(link_for(resolved, 5), {"score": score, "comment": "Kept text"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose" in page and "Kept text" in page
    assert not Rating.objects.exists()


def test_a_comment_too_long_is_a_form_error(resolved, link_for):
    response = Client().post(link_for(resolved, 5), {"score": "5", "comment": "x" * 4001})
    assert response.status_code == 400
    assert not Rating.objects.exists()
