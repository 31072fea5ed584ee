"""Channel URLs and contact targets are stored encrypted and never shown back: not in the
admin, not in the API, not in history."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from rest_framework.test import APIClient

from messaging import secrets
from messaging.fields import Undecryptable
from messaging.models import ContactMethod, TeamChannel

pytestmark = pytest.mark.django_db

SECRET_URL = "mmosts://chat.example.com/s3cr3t-webhook-token-9f8e7d"
SECRET_PUSH = "ntfys://ntfy.example.com/s3cr3t-push-topic-1a2b3c"
TOKEN = "s3cr3t-webhook-token-9f8e7d"
CHANNELS = "/admin/messaging/teamchannel/"


@pytest.fixture
def stored(team):
    return TeamChannel.objects.create(team=team, name="Ops room", url=SECRET_URL)


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_url_column_holds_a_fernet_token_that_opens_to_the_url(stored):
    value = raw("messaging_teamchannel", "url", stored.pk)
    assert TOKEN not in value and value.startswith("gAAAA")
    assert secrets.decrypt(value) == SECRET_URL
    assert TeamChannel.objects.get(pk=stored.pk).url == SECRET_URL


def test_a_contact_target_is_stored_encrypted_too(responder):
    method = ContactMethod.objects.create(
        user=responder, kind="push", label="Phone", target=SECRET_PUSH
    )
    assert "s3cr3t-push-topic" not in raw("messaging_contactmethod", "target", method.pk)


def test_channel_history_never_holds_the_url(stored, manager):
    stored.name = "Ops war room"
    stored.save()
    history = stored.history.all()
    assert history.count() == 2
    assert not hasattr(history.first(), "url")


def test_the_admin_change_page_shows_a_masked_url_and_an_empty_password_input(
    client, manager, stored
):
    client.force_login(manager)
    page = client.get(f"{CHANNELS}{stored.pk}/change/").content.decode()
    assert TOKEN not in page
    assert "mmosts://chat.example.com/…" in page
    assert 'type="password" name="url"' in page


def test_the_channel_list_and_a_responders_view_page_show_the_masked_url_only(
    client, manager, responder, stored
):
    client.force_login(manager)
    listing = client.get(CHANNELS).content.decode()
    assert TOKEN not in listing and "mmosts://chat.example.com/…" in listing
    client.force_login(responder)
    page = client.get(f"{CHANNELS}{stored.pk}/change/")
    assert page.status_code == 200
    assert TOKEN not in page.content.decode()
    assert "mmosts://chat.example.com/…" in page.content.decode()


def test_a_change_with_the_url_left_blank_keeps_the_stored_url(client, manager, stored):
    client.force_login(manager)
    form = {
        "team": stored.team_id,
        "name": "Renamed room",
        "url": "",
        "min_priority": "P1",
        "on_created": "on",
        "active": "on",
    }
    response = client.post(f"{CHANNELS}{stored.pk}/change/", form)
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.name, stored.url, stored.min_priority) == ("Renamed room", SECRET_URL, "P1")
    assert stored.on_escalated is False


def test_a_new_channel_needs_a_url_apprise_understands(client, manager, team):
    client.force_login(manager)
    form = {"team": team.pk, "name": "Room", "url": "https://not-apprise", "min_priority": "P2"}
    response = client.post(f"{CHANNELS}add/", form)
    assert response.status_code == 200
    assert "Apprise does not understand this URL" in response.content.decode()
    form["url"] = ""
    assert "This field is required" in client.post(f"{CHANNELS}add/", form).content.decode()
    form["url"] = SECRET_URL
    assert client.post(f"{CHANNELS}add/", form).status_code == 302
    assert TeamChannel.objects.get(name="Room").url == SECRET_URL


def test_api_responses_never_carry_the_url_or_the_target(manager, stored):
    api = APIClient()
    api.force_authenticate(manager)
    listed = api.get("/api/v1/team-channels/")
    changed = api.patch(f"/api/v1/team-channels/{stored.pk}/", {"name": "Renamed"}, format="json")
    created = api.post(
        "/api/v1/contact-methods/",
        {"kind": "push", "label": "Phone", "target": SECRET_PUSH},
        format="json",
    )
    methods = api.get("/api/v1/contact-methods/")
    for response in (listed, changed, created, methods):
        assert response.status_code in (200, 201), response.content
        body = response.content.decode()
        assert TOKEN not in body and "s3cr3t-push-topic" not in body
    assert listed.json()[0]["url_masked"] == "mmosts://chat.example.com/…"
    assert methods.json()[0]["target_masked"] == "ntfys://ntfy.example.com/…"
    stored.refresh_from_db()
    assert (stored.name, stored.url) == ("Renamed", SECRET_URL)


def test_without_its_own_key_the_key_is_derived_from_secret_key(settings, stored):
    settings.ITSM_SECRETS_KEY = []
    key = secrets.derive_key(settings.SECRET_KEY)
    assert Fernet(key).decrypt(raw("messaging_teamchannel", "url", stored.pk).encode())
    assert secrets.derive_key("another secret") != key


def test_a_second_key_rotates_the_first_one_out(settings, stored):
    old_key = secrets.derive_key(settings.SECRET_KEY).decode()
    new_key = Fernet.generate_key().decode()
    settings.ITSM_SECRETS_KEY = [new_key, old_key]
    assert TeamChannel.objects.get(pk=stored.pk).url == SECRET_URL
    stored.save()
    assert Fernet(new_key).decrypt(raw("messaging_teamchannel", "url", stored.pk).encode())


def test_a_url_no_key_opens_reads_as_unreadable_and_survives_a_save(settings, stored):
    before = raw("messaging_teamchannel", "url", stored.pk)
    settings.ITSM_SECRETS_KEY = [Fernet.generate_key().decode()]
    channel = TeamChannel.objects.get(pk=stored.pk)
    assert isinstance(channel.url, Undecryptable) and channel.url == ""
    channel.name = "Still here"
    channel.save()
    assert raw("messaging_teamchannel", "url", stored.pk) == before


def test_a_malformed_key_stops_the_process_at_start():
    with pytest.raises(ImproperlyConfigured, match="Fernet keys"):
        secrets.parse_keys(["not-a-key"])
