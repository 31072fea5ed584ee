"""Security fixtures: every persona with a browser session and an API token, and one world of
objects (an incident with public and internal comments and files, its review, a problem,
a runbook, monitoring alerts) to point them at.

Personas: `alice` reports the incident; `bob` is another end user; `agent` is a responder
in the incident's team, `agent2` a responder in no team (teams do not restrict what
responders see: every responder works every incident); `manager`; `clerk` is staff in no
group (is_staff alone must open nothing); `anonymous` is nobody.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from api.services import api_token_create
from incidents import services
from incidents.choices import Channel
from tests.browser.conftest import (  # noqa: F401  (shared browser fixtures)
    _browser,
    _fail_missing_browser,
    page,
    pytest_collection_modifyitems,
    screenshot,
    sign_in,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
END_USERS = ("alice", "bob")
RESPONDERS = ("agent", "agent2")
PERSONAS = ("anonymous", "alice", "bob", "agent", "agent2", "manager", "clerk")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and throttles live in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clerk(make_user):
    """Staff, in no group: may sign in to the admin and must see nothing there."""
    return make_user("clerk", staff=True)


@pytest.fixture
def users(reporter, other_reporter, responder, other_responder, manager, clerk, team):
    return {
        "anonymous": None,
        "alice": reporter,
        "bob": other_reporter,
        "agent": responder,
        "agent2": other_responder,
        "manager": manager,
        "clerk": clerk,
    }


@pytest.fixture
def browser_for(users):
    """`browser_for(name)`: a Django test client with that persona's session."""

    def make(name: str, **kwargs) -> Client:
        client = Client(**kwargs)
        if users[name] is not None:
            client.force_login(users[name])
        return client

    return make


@pytest.fixture
def api_for(users):
    """`api_for(name)`: an API client sending a fresh Bearer token of that persona (none
    for anonymous)."""

    def make(name: str) -> APIClient:
        client = APIClient()
        if users[name] is not None:
            _, secret = api_token_create(user=users[name], name="security tests")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
            client.token = secret
        return client

    return make


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class World:
    """The objects the access tests point personas at (all of alice's incident)."""

    incident: object
    public_comment: object
    work_note: object
    public_file: object
    internal_file: object
    other_incident: object
    other_file: object
    review: object
    action_item: object
    problem: object
    runbook: object
    integration: object
    extra: dict = field(default_factory=dict)


@pytest.fixture
def world(make_incident, service, users, other_reporter):
    """alice's incident (impact low: personal, so not a "known" incident others may
    follow), with a public update and a work note, a public and an internal file; bob's
    own incident with a file; a review with an action item, a problem, a runbook and a
    monitoring integration that opened an incident; and alice's confidential incident
    with a public update and a file (`extra`)."""
    from integrations.services import integration_create
    from problems.models import Runbook
    from problems.services import problem_create
    from reviews.services import action_item_add, review_start

    agent, manager = users["agent"], users["manager"]
    incident = make_incident(service=service, impact="low", urgency="low")
    public_comment = services.incident_comment(
        incident=incident, author=agent, body="Looking into it.", public=True, via=Channel.ADMIN
    )
    work_note = services.incident_comment(
        incident=incident, author=agent, body="Internal: gw-2", public=False, via=Channel.ADMIN
    )
    (public_file,) = services.incident_attach(
        incident=incident,
        actor=users["alice"],
        files=[upload("screen.png", PNG)],
        via=Channel.PORTAL,
    )
    (internal_file,) = services.incident_attach(
        incident=incident,
        actor=agent,
        files=[upload("gateway.log", b"tunnel reset\n")],
        public=False,
        via=Channel.ADMIN,
    )
    other = make_incident(title="Bob's printer", reporter=other_reporter, impact="low")
    (other_file,) = services.incident_attach(
        incident=other, actor=other_reporter, files=[upload("bob.txt", b"bob")], via=Channel.PORTAL
    )
    review = review_start(incident=incident, actor=agent)
    action_item = action_item_add(review=review, actor=agent, title="Add gateway alerting")
    problem = problem_create(title="Gateway memory", actor=manager, incidents=[incident])
    runbook = Runbook.objects.create(title="VPN checks", service=service, body="1. Ping gw")
    integration, _ = integration_create(kind="events", name="Zabbix", default_service=service)
    # alice's confidential report: high impact, so only confidentiality keeps it from
    # being a "known" incident anyone may see listed and follow.
    confidential = make_incident(
        title="Phished password", service=service, impact="high", confidential=True
    )
    services.incident_comment(
        incident=confidential, author=manager, body="Password reset.", public=True, via="admin"
    )
    (confidential_file,) = services.incident_attach(
        incident=confidential,
        actor=users["alice"],
        files=[upload("mail.png", PNG)],
        via=Channel.PORTAL,
    )
    return World(
        incident=incident,
        public_comment=public_comment,
        work_note=work_note,
        public_file=public_file,
        internal_file=internal_file,
        other_incident=other,
        other_file=other_file,
        review=review,
        action_item=action_item,
        problem=problem,
        runbook=runbook,
        integration=integration,
        extra={"confidential": confidential, "confidential_file": confidential_file},
    )


def monitoring_alert(client, token: str, summary: str = "CPU high", **details) -> dict:
    """Trigger an event through the events API with `token`; returns the JSON answer."""
    body = {
        "event_action": "trigger",
        "payload": {
            "summary": summary,
            "source": "db-1",
            "severity": "critical",
            "custom_details": details,
        },
    }
    response = client.post(
        "/api/v1/events/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 202, response.content
    return response.json()
