"""Messaging fixtures: team channels pointed at the local receiver, and a way to run what a
transaction publishes on commit (event dispatch, then the channel posts) inline."""

import pytest

from messaging.models import TeamChannel


@pytest.fixture
def make_channel(db, team):
    def make(url: str, **fields) -> TeamChannel:
        fields = {"team": team, "name": f"Room {TeamChannel.objects.count() + 1}", **fields}
        return TeamChannel.objects.create(url=url, **fields)

    return make


@pytest.fixture
def chat(make_channel, receiver):
    """The team's Mattermost room, on the local receiver."""
    return make_channel(receiver.url("mmost", "hooks-token-abcdef123456"), name="Ops room")


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """`with deliver(): services.incident_x(...)` runs the on-commit work inline: the event
    is dispatched and channel messages are created and sent (tasks run eagerly)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def p1(make_incident, service):
    """A critical incident of the channel's team (its events not dispatched)."""
    return make_incident(service=service, priority="P1")
