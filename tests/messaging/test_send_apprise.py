"""send_apprise: real Apprise plugins against a local receiver, errors that say why, and
the outbound guard."""

import logging

import pytest

from messaging import apprise_urls
from messaging.delivery import DeliveryError, send_apprise

TOKEN = "hooks-token-abcdef123456"


def test_a_json_url_posts_the_title_and_body_to_the_receiver(receiver):
    send_apprise(receiver.url("json", "hook"), title="[P1] INC0001001 VPN down", body="Line 2")
    [request] = receiver.wait_for(1)
    assert (request.method, request.path) == ("POST", "/hook")
    assert request.json["title"] == "[P1] INC0001001 VPN down"
    assert request.json["message"] == "Line 2"


def test_an_ntfy_url_posts_to_its_topic_on_a_self_hosted_server(receiver):
    send_apprise(receiver.url("ntfy", "oncall-topic"), title="[P1] INC1", body="Ack: link")
    [request] = receiver.wait_for(1)
    assert request.json["topic"] == "oncall-topic"
    assert (request.json["title"], request.json["message"]) == ("[P1] INC1", "Ack: link")


def test_a_mattermost_url_posts_to_its_webhook_as_the_service_desk(receiver):
    send_apprise(receiver.url("mmost", TOKEN), title="[P2] INC7", body="Open: link")
    [request] = receiver.wait_for(1)
    assert request.path == f"/hooks/{TOKEN}"
    assert "[P2] INC7" in request.json["text"] and "Open: link" in request.json["text"]
    assert request.json["username"] == "IT Service Desk"


def test_a_503_answer_is_a_transient_error_that_says_so(receiver):
    receiver.fail_next(1, status=503)
    with pytest.raises(DeliveryError) as raised:
        send_apprise(receiver.url("json", "hook"), title="t", body="b")
    assert raised.value.transient
    assert "503" in raised.value.message


def test_a_404_answer_is_a_permanent_error_without_the_token(receiver):
    receiver.fail_next(1, status=404)
    with pytest.raises(DeliveryError) as raised:
        send_apprise(receiver.url("mmost", TOKEN), title="t", body="b")
    assert not raised.value.transient
    assert "404" in raised.value.message and TOKEN not in raised.value.message


def test_a_receiver_that_is_down_is_a_transient_error(dead_port, settings):
    settings.ITSM_OUTBOUND_ALLOWLIST = ["127.0.0.1"]
    with pytest.raises(DeliveryError) as raised:
        send_apprise(f"ntfy://127.0.0.1:{dead_port}/secret-topic-42", title="t", body="b")
    assert raised.value.transient
    assert "secret-topic-42" not in raised.value.message


def test_apprise_lines_quoting_a_topic_never_reach_the_log(dead_port, settings, caplog):
    """Apprise's own logger goes nowhere (settings.LOGGING); pytest still hooks into it, so
    its records are set aside here."""
    settings.ITSM_OUTBOUND_ALLOWLIST = ["127.0.0.1"]
    with caplog.at_level(logging.DEBUG), pytest.raises(DeliveryError) as raised:
        send_apprise(f"ntfy://127.0.0.1:{dead_port}/secret-topic-42", title="t", body="b")
    apprise_logger = logging.getLogger("apprise")
    assert not apprise_logger.propagate and apprise_logger.level == logging.WARNING
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("apprise")]
    assert "secret-topic-42" not in " ".join(ours) + raised.value.message


def test_a_loopback_destination_is_refused_unless_the_allowlist_names_it(receiver, settings):
    settings.ITSM_OUTBOUND_ALLOWLIST = []
    with pytest.raises(DeliveryError) as raised:
        send_apprise(receiver.url("json", "hook"), title="t", body="b")
    assert not raised.value.transient
    assert "loopback" in raised.value.message and "ITSM_OUTBOUND_ALLOWLIST" in raised.value.message
    assert receiver.requests == []


def test_a_name_that_resolves_to_loopback_only_when_connecting_is_refused(receiver, settings):
    """DNS rebinding: the check before sending passes, the connection itself is refused."""
    from unittest import mock

    settings.ITSM_OUTBOUND_ALLOWLIST = []
    unchecked = mock.patch.object(apprise_urls, "check_destination")
    with unchecked, pytest.raises(DeliveryError) as raised:
        send_apprise(receiver.url("json", "hook"), title="t", body="b")
    assert "loopback" in raised.value.message and not raised.value.transient
    assert receiver.requests == []


def test_a_url_apprise_does_not_understand_is_a_permanent_error():
    with pytest.raises(DeliveryError) as raised:
        send_apprise("https://example.com/hook", title="t", body="b")
    assert not raised.value.transient and "Apprise does not understand" in raised.value.message


def test_a_service_that_notifies_the_server_itself_is_refused():
    with pytest.raises(DeliveryError) as raised:
        send_apprise("syslog://", title="t", body="b")
    assert not raised.value.transient


def test_outside_send_apprise_connections_are_not_checked(receiver, settings):
    import requests

    settings.ITSM_OUTBOUND_ALLOWLIST = []
    send_apprise_free = requests.post(receiver.url("http", "plain"), json={}, timeout=5)
    assert send_apprise_free.status_code == 200


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("mmosts://chat.example.com/abcdefghijkl", "mmosts://chat.example.com/…"),
        ("ntfy://127.0.0.1:8080/topic", "ntfy://127.0.0.1:8080/…"),
        ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", "slack://…"),
        ("ntfys://my-private-topic", "ntfys://…"),
        ("json://user:pw@hooks.example.com/x", "json://hooks.example.com/…"),
    ],
)
def test_a_stored_url_is_shown_as_its_scheme_and_host_only(url, shown):
    assert apprise_urls.mask(url) == shown


def test_apprise_validation_explains_a_bad_url_and_a_private_destination(settings):
    from django.core.exceptions import ValidationError

    settings.ITSM_OUTBOUND_ALLOWLIST = []
    with pytest.raises(ValidationError, match="Apprise does not understand"):
        apprise_urls.validate_url("nonsense://x")
    with pytest.raises(ValidationError, match="private address"):
        apprise_urls.validate_url("mmost://10.1.2.3/abcdefghijkl")
    assert apprise_urls.validate_url(" slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ ")
