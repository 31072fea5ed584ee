"""Portal fixtures: signed-in clients, uploads and shortcuts through the domain layer."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from incidents import services
from incidents.choices import Channel

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The report rate limit lives in the cache; every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for(db):
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def alice(client_for, reporter):
    """The reporter persona, signed in."""
    return client_for(reporter)


@pytest.fixture
def png():
    def make(name="screen.png", content=PNG):
        return SimpleUploadedFile(name, content, content_type="image/png")

    return make


@pytest.fixture
def resolve(responder):
    def resolve(incident):
        return services.incident_resolve(
            incident=incident,
            actor=responder,
            via=Channel.ADMIN,
            resolution_code="fixed",
            resolution_notes="Restarted the VPN gateway.",
        )

    return resolve


@pytest.fixture
def report_data(service):
    return {
        "title": "VPN drops every few minutes",
        "description": "Since 9:00, on the train and at home.",
        "service": str(service.pk),
        "impact": "low",
        "urgency": "high",
    }
