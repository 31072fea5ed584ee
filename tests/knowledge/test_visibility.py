"""Who reads which article: published public ones for everyone, staff-only ones for the
service desk too, drafts for nobody outside the admin, in every door."""

import pytest
from django.urls import reverse

from knowledge.choices import Audience

pytestmark = pytest.mark.django_db
INDEX = reverse("knowledge:index")


@pytest.fixture
def shelf(make_article, service):
    return {
        "public": make_article("Public how-to", service=service),
        "staff": make_article("Staff runbook", audience=Audience.STAFF, service=service),
        "draft": make_article("Draft notes", publish=False, service=service),
    }


def titles(response) -> set[str]:
    return {article.title for article in response.context["page"].object_list}


def test_an_anonymous_visitor_sees_only_published_public_articles(client, shelf):
    assert titles(client.get(INDEX)) == {"Public how-to"}
    assert client.get(shelf["public"].get_absolute_url()).status_code == 200
    assert client.get(shelf["staff"].get_absolute_url()).status_code == 404
    assert client.get(shelf["draft"].get_absolute_url()).status_code == 404


def test_an_end_user_sees_only_published_public_articles(alice, shelf):
    assert titles(alice.get(INDEX)) == {"Public how-to"}
    assert alice.get(shelf["staff"].get_absolute_url()).status_code == 404
    assert alice.get(shelf["draft"].get_absolute_url()).status_code == 404


def test_a_responder_also_sees_staff_only_articles_but_no_drafts(agent, shelf):
    assert titles(agent.get(INDEX)) == {"Public how-to", "Staff runbook"}
    page = agent.get(shelf["staff"].get_absolute_url()).content.decode()
    assert "Service desk only" in page
    assert agent.get(shelf["draft"].get_absolute_url()).status_code == 404


def test_a_staff_only_article_is_not_found_by_an_end_users_search(alice, shelf):
    assert titles(alice.get(INDEX, {"q": "runbook"})) == set()


def test_browsing_by_service_counts_only_what_the_reader_may_read(alice, agent, shelf, service):
    assert [(s.slug, s.article_total) for s in alice.get(INDEX).context["services"]] == [("vpn", 1)]
    assert [(s.slug, s.article_total) for s in agent.get(INDEX).context["services"]] == [("vpn", 2)]
    assert titles(alice.get(INDEX, {"service": "vpn"})) == {"Public how-to"}


def test_the_api_honours_the_audience(alice, agent, shelf):
    url = reverse("api-articles")
    mine = {row["title"] for row in alice.get(url).json()["results"]}
    theirs = {row["title"] for row in agent.get(url).json()["results"]}
    assert mine == {"Public how-to"}
    assert theirs == {"Public how-to", "Staff runbook"}


def test_the_api_searches_and_refuses_a_search_too_long(alice, shelf):
    url = reverse("api-articles")
    assert [r["title"] for r in alice.get(url, {"search": "how-to"}).json()["results"]] == [
        "Public how-to"
    ]
    response = alice.get(url, {"search": "x" * 5000})
    assert response.status_code == 400 and "search" in str(response.json())


def test_withdrawing_an_article_hides_it_again(client, shelf, responder):
    from knowledge import services

    services.article_unpublish(article=shelf["public"], actor=responder)
    assert client.get(shelf["public"].get_absolute_url()).status_code == 404
