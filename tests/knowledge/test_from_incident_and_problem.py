"""Responders start an article from a resolved incident or from a problem's workaround;
nothing internal leaves a confidential incident or a problem."""

import pytest
from django.urls import reverse

from incidents import services as incidents
from incidents.choices import Channel
from incidents.exceptions import DomainError
from knowledge import services
from knowledge.choices import ArticleStatus
from knowledge.models import Article
from problems import services as problems

pytestmark = pytest.mark.django_db
NOTES = "Replaced the expired gateway certificate; reconnect the VPN app."


@pytest.fixture
def resolved(make_incident, service, responder):
    incident = make_incident(
        title="VPN refuses my login", description="Error 809 since this morning.", service=service
    )
    return incidents.incident_resolve(
        incident=incident,
        actor=responder,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes=NOTES,
    )


@pytest.fixture
def problem(responder, service):
    return problems.problem_create(
        title="Gateway certificate expires yearly",
        actor=responder,
        service=service,
        description="Internal: the renewal job runs on the old host.",
        root_cause="Cron on legacy-gw-02 is disabled.",
        workaround="Reconnect with **Use backup gateway** ticked.",
    )


def test_a_draft_from_a_resolved_incident_has_its_symptoms_and_resolution(resolved, responder):
    article = services.article_from_incident(incident=resolved, actor=responder)
    assert article.status == ArticleStatus.DRAFT and article.title == "VPN refuses my login"
    assert "Error 809 since this morning." in article.body and NOTES in article.body
    assert "Resolution: " in article.body
    assert article.service == resolved.service and article.source_incident == resolved
    assert article.history.get().history_change_reason == f"Started from {resolved.number}"


def test_an_open_incident_cannot_start_an_article(make_incident, responder):
    with pytest.raises(DomainError, match="not resolved yet"):
        services.article_from_incident(incident=make_incident(), actor=responder)


def test_a_confidential_incident_never_gives_its_content_away(resolved, responder, manager):
    incidents.incident_set_confidential(
        incident=resolved, actor=manager, confidential=True, via=Channel.ADMIN
    )
    resolved.refresh_from_db()
    with pytest.raises(DomainError, match="confidential"):
        services.article_from_incident(incident=resolved, actor=responder)
    assert not Article.objects.exists()


def test_a_draft_from_a_problem_has_its_workaround_and_nothing_internal(problem, responder):
    article = services.article_from_problem(problem=problem, actor=responder)
    assert "**Use backup gateway**" in article.body
    assert "legacy-gw-02" not in article.body and "renewal job" not in article.body
    assert article.service == problem.service and article.source_problem == problem


def test_a_problem_without_workaround_cannot_start_an_article(responder):
    empty = problems.problem_create(title="Unknown", actor=responder)
    with pytest.raises(DomainError, match="no workaround"):
        services.article_from_problem(problem=empty, actor=responder)


def test_the_resolved_incident_page_has_the_button_and_it_opens_the_draft(
    client, responder, resolved
):
    client.force_login(responder)
    page = client.get(resolved.get_admin_url()).content.decode()
    assert "Start a knowledge article" in page
    response = client.post(reverse("admin:knowledge_article_from_incident", args=[resolved.pk]))
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == article.get_admin_url()
    assert "Draft started from" in client.get(response.url).content.decode()


def test_an_open_incident_page_has_no_button(client, responder, incident):
    client.force_login(responder)
    assert "Start a knowledge article" not in client.get(incident.get_admin_url()).content.decode()


def test_the_problem_page_has_the_button_and_it_opens_the_draft(client, responder, problem):
    client.force_login(responder)
    page = client.get(problem.get_admin_url()).content.decode()
    assert "Start a knowledge article" in page
    response = client.post(reverse("admin:knowledge_article_from_problem", args=[problem.pk]))
    assert response.status_code == 302 and Article.objects.get().source_problem == problem


def test_opening_the_button_address_changes_nothing(client, responder, problem):
    client.force_login(responder)
    response = client.get(reverse("admin:knowledge_article_from_problem", args=[problem.pk]))
    assert response.status_code == 405 and not Article.objects.exists()


def test_an_end_user_cannot_start_an_article(client, reporter, problem):
    client.force_login(reporter)
    client.post(reverse("admin:knowledge_article_from_problem", args=[problem.pk]))
    assert not Article.objects.exists()
