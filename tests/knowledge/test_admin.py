"""Responders write, preview and publish articles in the admin; edits keep history;
Markdown is rendered sanitised everywhere it is shown."""

import pytest
from django.urls import reverse

from knowledge.choices import ArticleStatus
from knowledge.models import Article

pytestmark = pytest.mark.django_db
ADD = reverse("admin:knowledge_article_add")
HOSTILE_MARKDOWN = (
    "# Fix\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
    "[click](javascript:alert(3))\n\n<a href='https://example.com' onclick='alert(4)'>ok</a>"
)


@pytest.fixture
def agent(client, responder):
    client.force_login(responder)
    return client


def form(**values):
    return {"title": "Reset a token", "audience": "public", "body": "Choose *Reset*.", **values}


def test_a_responder_writes_a_draft_previews_and_publishes_it(agent):
    response = agent.post(ADD, form())
    article = Article.objects.get()
    assert response.status_code == 302 and article.status == ArticleStatus.DRAFT
    assert article.slug == "reset-a-token" and article.created_by.username == "agent"
    page = agent.get(article.get_admin_url()).content.decode()
    assert "<em>Reset</em>" in page  # the preview
    agent.post(reverse("admin:knowledge_article_publish", args=[article.pk]), {"publish": "1"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.published_at


def test_edits_are_kept_in_history_with_who_and_why(agent, responder):
    agent.post(ADD, form())
    article = Article.objects.get()
    agent.post(article.get_admin_url(), form(body="Choose *Reset* twice."))
    reasons = [row.history_change_reason for row in article.history.order_by("history_date")]
    assert reasons == ["Created", "Edited"]
    assert {row.history_user for row in article.history.all()} == {responder}
    history = agent.get(reverse("admin:knowledge_article_history", args=[article.pk]))
    assert history.status_code == 200


def test_an_article_without_a_body_is_not_saved(agent):
    agent.post(ADD, form(body=" "))
    assert Article.objects.count() == 0  # the body is required by the form


def test_the_same_title_twice_gets_distinct_slugs(agent):
    agent.post(ADD, form())
    agent.post(ADD, form())
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "reset-a-token",
        "reset-a-token-2",
    ]


def test_hostile_markdown_is_sanitised_in_the_preview_and_the_portal(agent, client, make_article):
    article = make_article("Hostile", HOSTILE_MARKDOWN)
    for page in (
        agent.get(article.get_admin_url()).content.decode(),
        client.get(article.get_absolute_url()).content.decode(),
    ):
        body = page[page.index("<h1>Fix</h1>") :]
        for bad in ("<script>alert", "onerror", "javascript:", "onclick"):
            assert bad not in body, bad
        assert 'href="https://example.com"' in body


def test_publishing_from_the_list_goes_through_the_service(agent, make_article):
    draft = make_article(publish=False)
    agent.post(
        reverse("admin:knowledge_article_changelist"),
        {"action": "publish_articles", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.history.first().history_change_reason == "Published"


def test_an_end_user_cannot_open_the_article_admin(client, reporter):
    client.force_login(reporter)
    assert client.get(ADD).status_code in (302, 403)


def test_only_a_published_article_links_to_its_portal_page(agent, make_article):
    draft, published = make_article("Draft", publish=False), make_article("Out")
    assert "View on site" not in agent.get(draft.get_admin_url()).content.decode()
    assert "View on site" in agent.get(published.get_admin_url()).content.decode()
