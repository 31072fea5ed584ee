"""The data migration seeding the fallback team: it leaves a team of that slug alone, works
around a team already named "Service desk", and backwards removes only the team it
created, and only while nothing uses it."""

import importlib
from functools import cache
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from incidents.models import Team

pytestmark = pytest.mark.django_db
migration = importlib.import_module("incidents.migrations.0007_fallback_team")
EDITOR = SimpleNamespace(connection=connection)


@cache
def state_apps():
    """The models as migrate gives them to the migration, every app's (and without
    simple-history's signals)."""
    return MigrationLoader(None, ignore_no_migrations=True).project_state().apps


def forwards():
    migration.seed_fallback_team(state_apps(), EDITOR)


def backwards():
    migration.remove_seeded_team(state_apps(), EDITOR)


def seeded() -> Team | None:
    return Team.objects.filter(slug="service-desk").first()


def test_backwards_removes_the_unused_seeded_team_and_forwards_brings_it_back():
    backwards()
    assert seeded() is None
    forwards()
    team = seeded()
    assert team.name == "Service desk"
    assert team.history.get().history_change_reason == migration.SEEDED


def test_backwards_keeps_the_seeded_team_once_it_has_members(responder):
    seeded().members.add(responder)
    backwards()
    assert seeded() is not None


def test_backwards_keeps_the_seeded_team_once_incidents_went_there(make_incident):
    make_incident()  # routed to the fallback team
    backwards()
    assert seeded() is not None


def test_backwards_keeps_the_seeded_team_once_an_integration_names_it():
    from integrations.services import integration_create

    integration_create(kind="alertmanager", name="Prometheus", default_team=seeded())
    backwards()
    assert seeded() is not None


def test_backwards_keeps_the_seeded_team_once_someone_changed_it():
    team = seeded()
    team.email = "desk@example.com"
    team.save()
    backwards()
    assert seeded() is not None


def test_forwards_leaves_an_existing_team_of_that_slug_alone_and_backwards_keeps_it():
    backwards()
    Team.objects.create(slug="service-desk", name="Front desk")
    forwards()
    backwards()
    assert seeded().name == "Front desk"


def test_forwards_does_not_fail_when_the_name_is_taken_by_another_slug():
    backwards()
    Team.objects.create(slug="desk", name="Service desk")
    forwards()
    assert seeded().name == "Service desk (service-desk)"
