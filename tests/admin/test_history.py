"""The history page shows every change with its field diffs; only managers may revert,
and a revert is a new change made through the services."""

import pytest
from django.urls import reverse

from incidents import services
from incidents.choices import Channel

pytestmark = pytest.mark.django_db


def _history_urls(incident):
    first = incident.history.earliest()
    return (
        reverse("admin:incidents_incident_history", args=[incident.pk]),
        reverse("admin:incidents_incident_simple_history", args=[incident.pk, first.history_id]),
    )


@pytest.fixture
def retitled(incident, responder):
    return services.incident_update(
        incident=incident, actor=responder, via=Channel.API, title="VPN down in Berlin"
    )


def test_history_page_shows_who_changed_what(login, responder, retitled):
    listing, _ = _history_urls(retitled)
    page = login(responder).get(listing).content.decode()
    assert "Updated via API" in page
    assert "VPN down in Berlin" in page
    assert "Agent" in page or "agent" in page


def test_responder_sees_an_old_version_without_a_revert_button(login, responder, retitled):
    _, version = _history_urls(retitled)
    client = login(responder)
    response = client.get(version)
    assert response.status_code == 200
    assert 'value="Revert"' not in response.content.decode()
    assert client.post(version, {}).status_code == 403
    retitled.refresh_from_db()
    assert retitled.title == "VPN down in Berlin"


def test_manager_reverts_through_the_services(login, manager, retitled):
    _, version = _history_urls(retitled)
    client = login(manager)
    assert 'value="Revert"' in client.get(version).content.decode()
    response = client.post(version, {}, follow=True)
    retitled.refresh_from_db()
    assert retitled.title == "VPN down"
    latest = retitled.history.latest()
    assert latest.history_user == manager
    assert latest.history_change_reason.startswith("Reverted to the version of ")
    assert any("reverted" in str(m) for m in response.context["messages"])
