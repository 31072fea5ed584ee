"""Satisfaction fixtures: a resolved incident of the Network team (lead: the manager
persona), its reporter's rating links, and on-commit work run inline."""

import pytest
from django.test import Client

from incidents import services
from incidents.choices import Channel
from satisfaction.links import make_token


def resolve(incident, actor):
    return services.incident_resolve(
        incident=incident,
        actor=actor,
        via=Channel.ADMIN,
        resolution_code="fixed",
        resolution_notes="Gateway restarted; tunnels are back.",
    )


@pytest.fixture
def resolved(incident, responder):
    """The reporter persona's VPN incident, resolved by the responder."""
    return resolve(incident, responder)


@pytest.fixture
def link_for():
    """`link_for(incident, score)`: the rating link path the resolved mail gives its
    reporter (another user's id or another incident id can be given to forge one)."""

    def make(incident, score, *, user_id=None, incident_id=None):
        token = make_token(
            incident_id=incident_id or incident.pk,
            user_id=user_id or incident.reporter_id,
            score=score,
        )
        return f"/rate/{token}/"

    return make


@pytest.fixture
def client_for(db):
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """`with run_on_commit(): ...` runs what commits publish (events, mails) inline."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


from tests.browser.conftest import (  # noqa: E402, F401  (browser fixtures, for test_browser)
    _browser,
    _fail_missing_browser,
    page,
    pytest_collection_modifyitems,
    screenshot,
    sign_in,
)
