"""Personas and factories shared by every test.

Personas: `reporter` (alice) and `other_reporter` (bob) are end users, `responder` works
incidents, `manager` also configures the service desk, `superuser` can do anything.
`make_incident` creates incidents through the domain layer, as every channel does.
"""

import os
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from incidents.choices import Channel
from incidents.roles import MANAGERS, RESPONDERS
from itsm.celery import app as celery_app

pytest_plugins = [
    "tests.fixtures.live_services",
    "tests.fixtures.receivers",
    "tests.fixtures.oidc",
]

PASSWORD = "correct-horse-battery"


def pytest_configure(config):
    from django.conf import settings

    # WhiteNoise warns on every request when the collected-static folder does not exist.
    os.makedirs(settings.STATIC_ROOT, exist_ok=True)


@pytest.fixture(autouse=True, scope="session")
def _celery_runs_inline():
    """Unit tests run tasks inline (they still only run when a test executes the on-commit
    callbacks); the live-worker fixture switches this off for real end-to-end tests."""
    if not os.environ.get("CELERY_BROKER_URL"):
        celery_app.conf.broker_url = "memory://"
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def _deliveries_drain_at_once(request, monkeypatch):
    """A monitoring delivery is queued and turned into alerts and incidents by the worker
    (integrations.inbox). Tests that look at the incident right after the POST get the
    drain run as soon as the delivery is stored, in the same request. Mark a test
    `deliveries_wait` to see the queue as it is between the answer and the drain."""
    if request.node.get_closest_marker("deliveries_wait"):
        return
    from integrations import services

    accept = services.delivery_accept

    def accept_and_drain(**kwargs):
        accept(**kwargs)
        while services.deliveries_drain().busy:  # a drain in another thread holds the inbox
            time.sleep(0.01)

    monkeypatch.setattr(services, "delivery_accept", accept_and_drain)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages and figures (status page, suggestions, rate limits) start empty."""
    from django.core.cache import cache

    from integrations.selectors import forget_local_integrations
    from statuspage.cache import forget_local

    cache.clear()
    forget_local()  # what this process kept of the pages for a couple of seconds
    forget_local_integrations()  # and of the integrations it looked up


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _user(username, *, group=None, staff=False, superuser=False, email=None):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=email or f"{username}@example.com",
        first_name=username.capitalize(),
        is_staff=staff or superuser,
        is_superuser=superuser,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def reporter(db):
    return _user("alice")


@pytest.fixture
def other_reporter(db):
    return _user("bob")


@pytest.fixture
def responder(db):
    return _user("agent", group=RESPONDERS, staff=True)


@pytest.fixture
def other_responder(db):
    return _user("agent2", group=RESPONDERS, staff=True)


@pytest.fixture
def manager(db):
    return _user("manager", group=MANAGERS, staff=True)


@pytest.fixture
def superuser(db):
    return _user("admin", superuser=True)


@pytest.fixture
def make_user(db):
    return _user


@pytest.fixture
def team(db, responder, manager):
    from incidents.models import Team

    team = Team.objects.create(
        name="Network", slug="network", email="network@example.com", lead=manager
    )
    team.members.add(responder, manager)
    return team


@pytest.fixture
def service(db, team):
    from incidents.models import Service

    return Service.objects.create(name="VPN", slug="vpn", owner_team=team)


@pytest.fixture
def make_incident(db, reporter):
    from incidents import services

    def make(**overrides):
        fields = {
            "title": "VPN down",
            "description": "Cannot connect since 9:00.",
            "reporter": reporter,
            "via": Channel.PORTAL,
        }
        fields.update(overrides)
        return services.incident_create(**fields)

    return make


@pytest.fixture
def incident(make_incident, service):
    return make_incident(service=service)
