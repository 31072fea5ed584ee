"""What the knowledge pages cost the database: the same however many articles there are."""

import pytest
from django.urls import reverse

from knowledge.choices import Audience

pytestmark = pytest.mark.django_db
INDEX = reverse("knowledge:index")


@pytest.fixture
def many(make_article, service):
    def make(count):
        for n in range(count):
            make_article(
                f"VPN article {n}",
                audience=Audience.STAFF if n % 3 == 0 else Audience.PUBLIC,
                service=service,
            )

    return make


# 1. the session, 2. the user, 3. the services with how many articles the reader may
# read, 4. the count for the pager, 5. the page of articles with their services,
# 6. the services offered in the search form.
SIGNED_IN_LIST = 6


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_for_many_articles(
    alice, many, count, django_assert_num_queries
):
    many(count)
    with django_assert_num_queries(SIGNED_IN_LIST):
        response = alice.get(INDEX)
    assert response.status_code == 200 and len(response.context["page"].object_list) > 1


@pytest.mark.parametrize("count", [3, 30])
def test_a_search_costs_the_same_queries_for_many_articles(
    alice, many, count, django_assert_num_queries
):
    many(count)
    # As the list; the page is the ranked matches.
    with django_assert_num_queries(SIGNED_IN_LIST):
        response = alice.get(INDEX, {"q": "vpn article"})
    assert len(response.context["page"].object_list) > 1


# A responder: as an end user, plus 3.-4. their permissions (user, then groups), read once
# for the request.
@pytest.mark.parametrize("count", [3, 30])
def test_a_responders_list_costs_the_same_queries_for_many_articles(
    agent, many, count, django_assert_num_queries
):
    many(count)
    with django_assert_num_queries(SIGNED_IN_LIST + 2):
        agent.get(INDEX)


# The article page: 1. the session, 2. the user, 3. the article with its service and
# category, then 4.-6. the session saved with the read remembered (a savepoint, the UPDATE,
# its release). A new visit also counts a view: 7. the UPDATE of the day's row, and the
# day's first view 8.-10. inserts it (in a savepoint).
ARTICLE_PAGE = 6


def test_the_article_page_costs_a_fixed_number_of_queries(
    alice, client_for, reporter, make_article, django_assert_num_queries
):
    article, second_visit = make_article(), client_for(reporter)
    with django_assert_num_queries(ARTICLE_PAGE + 4):
        alice.get(article.get_absolute_url())
    with django_assert_num_queries(ARTICLE_PAGE):
        alice.get(article.get_absolute_url())  # the same visit: no view counted
    with django_assert_num_queries(ARTICLE_PAGE + 1):
        second_visit.get(article.get_absolute_url())  # another session, the same day
