""" "Did this solve your problem?": one answer per session, no account needed, protected
against forged posts and floods."""

import pytest
from django.test import Client

from knowledge.models import ArticleFeedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(make_article):
    return make_article()


def answer(client, article, helpful="yes", **extra):
    return client.post(f"{article.get_absolute_url()}feedback/", {"helpful": helpful}, **extra)


def test_an_anonymous_reader_answers_yes_and_it_is_counted(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Did this solve your problem?" in page
    response = answer(client, article, follow=True)
    assert "Thank you for your answer." in response.content.decode()
    assert "your answer is counted" in response.content.decode()
    assert ArticleFeedback.objects.get().helpful is True


def test_answers_are_counted_per_session_yes_and_no(article):
    answer(Client(), article, "yes")
    answer(Client(), article, "no")
    answer(Client(), article, "no")
    assert ArticleFeedback.objects.filter(helpful=True).count() == 1
    assert ArticleFeedback.objects.filter(helpful=False).count() == 2


def test_a_session_answers_only_once(client, article):
    answer(client, article, "yes")
    response = answer(client, article, "no", follow=True)
    assert "already answered" in response.content.decode()
    assert ArticleFeedback.objects.count() == 1


def test_a_post_without_the_csrf_token_is_refused(article):
    client = Client(enforce_csrf_checks=True)
    assert answer(client, article).status_code == 403
    assert not ArticleFeedback.objects.exists()


def test_a_get_records_nothing(client, article):
    assert client.get(f"{article.get_absolute_url()}feedback/").status_code == 405
    assert not ArticleFeedback.objects.exists()


def test_a_bad_answer_is_a_clear_error_not_a_crash(client, article):
    response = answer(client, article, "maybe")
    assert response.status_code == 400 and "Choose yes or no." in response.content.decode()


def test_a_flood_of_answers_is_limited(article, settings):
    settings.ITSM_KB_FEEDBACK_RATE_LIMIT = 2
    assert answer(Client(), article).status_code == 302
    assert answer(Client(), article).status_code == 302
    response = answer(Client(), article)
    assert response.status_code == 429 and "Too many answers" in response.content.decode()
    assert ArticleFeedback.objects.count() == 2


def test_a_staff_only_article_cannot_be_answered_by_the_public(client, make_article):
    hidden = make_article("Internal", audience="staff")
    assert answer(client, hidden).status_code == 404
