"""Knowledge fixtures: articles made through the services, and clients per persona."""

import pytest
from django.core.cache import cache
from django.test import Client

from knowledge import services
from knowledge.choices import Audience


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The feedback limit lives in the cache; every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_article(db, responder):
    def make(
        title="Reset your VPN token",
        body="Open the VPN app and choose *Reset*.",
        *,
        publish=True,
        audience=Audience.PUBLIC,
        **fields,
    ):
        article = services.article_create(
            actor=responder, title=title, body=body, audience=audience, **fields
        )
        if publish:
            article = services.article_publish(article=article, actor=responder)
        return article

    return make


@pytest.fixture
def client_for(db):
    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def alice(client_for, reporter):
    return client_for(reporter)


@pytest.fixture
def agent(client_for, responder):
    return client_for(responder)


@pytest.fixture
def report_data(service):
    return {
        "title": "VPN drops every few minutes",
        "description": "Since 9:00, on the train and at home.",
        "service": str(service.pk),
        "impact": "low",
        "urgency": "high",
    }
