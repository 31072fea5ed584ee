"""Helpers for the responder workspace tests: URLs and a client logged in as a persona."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

CHANGELIST = "admin:incidents_incident_changelist"


def change_url(incident) -> str:
    return reverse("admin:incidents_incident_change", args=[incident.pk])


def step_url(incident, verb: str) -> str:
    return reverse("admin:incidents_incident_step", args=[incident.pk, verb])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def login():
    """`login(user)` gives a client with that user's session."""

    def make(user, **kwargs) -> Client:
        client = Client(**kwargs)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def staff_without_role(make_user):
    return make_user("clerk", staff=True)
