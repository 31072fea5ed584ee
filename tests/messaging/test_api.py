"""/api/v1/contact-methods/ and /api/v1/team-channels/: own rows, managers only, and 400s
that name the field."""

import pytest
from rest_framework.test import APIClient

from messaging.models import ContactMethod, TeamChannel

pytestmark = pytest.mark.django_db

METHODS = "/api/v1/contact-methods/"
CHANNELS = "/api/v1/team-channels/"
URL = "mmosts://chat.example.com/abcdefghijklmnop"


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def channel_body(**fields):
    return {"team": "network", "name": "Ops room", "url": URL, **fields}


def test_a_manager_adds_a_team_channel_by_team_slug(api, manager, team):
    response = api(manager).post(CHANNELS, channel_body(min_priority="P1"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["team"] == "network" and body["min_priority"] == "P1"
    assert body["url_masked"] == "mmosts://chat.example.com/…" and "url" not in body
    assert TeamChannel.objects.get().url == URL


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"url": "https://example.com/hook"}, "url", "Apprise does not understand"),
        ({"url": "mmost://10.0.0.5/abcdefghijkl"}, "url", "private address"),
        ({"team": "nope"}, "team", "does not exist"),
        ({"min_priority": "P9"}, "min_priority", "not a valid choice"),
        ({"url": ""}, "url", "may not be blank"),
    ],
)
def test_bad_channel_input_is_a_400_naming_the_field(api, manager, team, fields, field, words):
    response = api(manager).post(CHANNELS, channel_body(**fields), format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()["errors"][field])
    assert not TeamChannel.objects.exists()


def test_a_second_channel_of_the_same_name_is_a_400(api, manager, team):
    client = api(manager)
    assert client.post(CHANNELS, channel_body(), format="json").status_code == 201
    response = client.post(CHANNELS, channel_body(), format="json")
    assert response.status_code == 400 and "name" in response.json()["errors"]


def test_a_change_without_url_keeps_it_and_a_new_url_replaces_it(api, manager, team):
    client = api(manager)
    pk = client.post(CHANNELS, channel_body(), format="json").json()["id"]
    client.patch(f"{CHANNELS}{pk}/", {"on_resolved": False}, format="json")
    assert TeamChannel.objects.get().url == URL
    new = "ntfys://ntfy.example.com/new-topic"
    response = client.patch(f"{CHANNELS}{pk}/", {"url": new}, format="json")
    assert response.json()["url_masked"] == "ntfys://ntfy.example.com/…"
    channel = TeamChannel.objects.get()
    assert (channel.url, channel.on_resolved) == (new, False)


def test_responders_may_not_manage_team_channels(api, responder, team):
    client = api(responder)
    assert client.get(CHANNELS).status_code == 403
    assert client.post(CHANNELS, channel_body(), format="json").status_code == 403


def test_a_responder_keeps_their_own_contact_methods(api, responder, other_responder):
    ContactMethod.objects.create(
        user=other_responder, kind="push", label="Theirs", target="ntfys://ntfy.sh/x-topic"
    )
    client = api(responder)
    created = client.post(
        METHODS,
        {"kind": "email", "label": "Pager mail", "target": "pager@example.com"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["target_masked"] == "p…@example.com"
    listed = client.get(METHODS).json()
    assert [m["label"] for m in listed] == ["Pager mail"]
    theirs = ContactMethod.objects.get(label="Theirs")
    assert client.get(f"{METHODS}{theirs.pk}/").status_code == 404
    assert client.delete(f"{METHODS}{theirs.pk}/").status_code == 404
    assert client.delete(f"{METHODS}{created.json()['id']}/").status_code == 204
    assert client.get(f"{METHODS}not-a-number/").status_code == 404
    assert list(ContactMethod.objects.values_list("label", flat=True)) == ["Theirs"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "email", "label": "x", "target": "nope"}, "target"),
        ({"kind": "push", "label": "x", "target": "nonsense://x"}, "target"),
        ({"kind": "fax", "label": "x", "target": "a@example.com"}, "kind"),
        ({"kind": "push", "label": "x", "target": 5}, "target"),
    ],
)
def test_bad_contact_method_input_is_a_400_naming_the_field(api, responder, body, field):
    response = api(responder).post(METHODS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_end_users_have_no_contact_methods(api, reporter):
    assert api(reporter).get(METHODS).status_code == 403
