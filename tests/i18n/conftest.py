"""Readers with a language and a time zone of their own."""

import pytest
from django.test import Client

from profiles.services import profile_save


@pytest.fixture
def signed_in(db):
    """`signed_in(user, language="fr", zone="Europe/Paris")`: a browser signed in as a
    person whose preferences are saved (blank: the defaults)."""

    def make(user, language: str | None = None, zone: str | None = None) -> Client:
        if language is not None or zone is not None:
            profile_save(user=user, language=language or "", time_zone=zone or "")
        client = Client()
        client.force_login(user)
        return client

    return make
