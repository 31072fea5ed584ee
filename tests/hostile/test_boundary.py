"""The pieces of the input boundary on their own: the bounded JSON decoder, the
stored-text rule, bidirectional isolation and the page method guard."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError
from django.test import Client

from integrations import services
from integrations.models import Delivery, Integration
from itsm import jsonbody, text
from tests.integrations.conftest import EVENTS_URL

EVENT = {
    "event_action": "trigger",
    "payload": {"summary": "Disk full", "source": "db-1", "severity": "error"},
}


def test_json_nested_to_the_limit_decodes_and_one_level_more_is_refused(settings):
    settings.ITSM_JSON_MAX_DEPTH = 10
    assert jsonbody.decode("[" * 10 + "]" * 10) == [[[[[[[[[[]]]]]]]]]]
    with pytest.raises(jsonbody.JSONBodyError, match="deeper than 10"):
        jsonbody.decode("[" * 11 + "]" * 11)


def test_brackets_inside_strings_do_not_count_as_nesting(settings):
    settings.ITSM_JSON_MAX_DEPTH = 2
    assert jsonbody.decode('{"a": "[[[[{{{{\\"[["}') == {"a": '[[[[{{{{"[['}


def test_objects_and_lists_are_bounded(settings):
    settings.ITSM_JSON_MAX_KEYS, settings.ITSM_JSON_MAX_ITEMS = 3, 3
    assert jsonbody.decode('{"a": [1, 2, 3], "b": 1, "c": 2}')
    with pytest.raises(jsonbody.JSONBodyError, match="more than 3 keys"):
        jsonbody.decode('{"a": 1, "b": 1, "c": 1, "d": 1}')
    with pytest.raises(jsonbody.JSONBodyError, match="more than 3 items"):
        jsonbody.decode('{"a": [[1, 2, 3, 4]]}')


@pytest.mark.parametrize("body", ["NaN", "[Infinity]", '{"x": 1e999}', "9" * 5000, b"\xff"])
def test_numbers_no_column_holds_and_bytes_that_are_not_utf8_are_refused(body):
    with pytest.raises(jsonbody.JSONBodyError):
        jsonbody.decode(body)


def test_unstorable_text_is_found_by_path_and_scrubbed_keys_included():
    data = {"a": ["ok", "x\x00"], "b\ud800": {"c": "\udfff"}}
    assert set(text.unstorable_fields(data)) == {"a[1]", "b\ud800", "b\ud800.c"}
    assert text.scrub(data) == {"a": ["ok", "x\ufffd"], "b\ufffd": {"c": "\ufffd"}}
    assert text.unstorable_fields(text.scrub(data)) == {}


@pytest.mark.parametrize(
    "document",
    [
        '{"a": "x\\u0000"}',
        '{"a\\u0000": 1}',
        '["\\uD800"]',
        '["\\udbff"]',
        '["\\uDC00"]',
        '["\\udfff", "ok"]',
        '{"a": {"b": ["\\ud83d"]}}',
    ],
)
def test_json_text_that_decodes_to_unstorable_text_is_always_looked_at(document):
    """The walk over every string is skipped only when the text cannot hold such an escape."""
    assert text.unstorable_fields(json.loads(document))
    assert text.json_may_hold_unstorable(document)
    assert text.json_may_hold_unstorable(document.encode())


@pytest.mark.parametrize("document", ['{"a": "caf\\u00e9 \\u003c"}', '{"a": 1}', "[]"])
def test_json_text_without_such_escapes_is_not_walked(document):
    assert not text.json_may_hold_unstorable(document)
    assert not text.unstorable_fields(json.loads(document))


def test_only_text_with_bidirectional_controls_is_isolated():
    assert text.isolate("VPN down") == "VPN down"
    assert text.isolate("a\u202eb") == "\u2068a\u202eb\u2069"
    assert text.strip_bidi("\u2068a\u202eb\u2069\u200f") == "ab"


def test_an_admin_json_field_refuses_deep_nesting_and_escaped_nul():
    field = jsonbody.JSONFormField()
    assert field.clean('{"critical": "P1"}') == {"critical": "P1"}
    for value in ("[" * 5000 + "]" * 5000, '{"a\\u0000": "P1"}'):
        with pytest.raises(ValidationError):
            field.clean(value)


def _post_event(client, token):
    return client.post(
        EVENTS_URL,
        json.dumps(EVENT),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _fail(*args, **kwargs):
    raise DataError("integer out of range")


@pytest.mark.django_db
def test_a_value_the_database_refuses_at_the_door_is_a_counted_422_never_a_retry(
    client, monkeypatch
):
    """(An outage is still a 503 with Retry-After: tests/integrations.)"""
    _, token = services.integration_create(kind="events", name="Zabbix")
    monkeypatch.setattr(services, "_insert_delivery", _fail)

    response = _post_event(client, token)

    assert response.status_code == 422
    assert "Retry-After" not in response
    integration = Integration.objects.get()
    assert integration.refused_count == 1
    assert "integer out of range" in integration.last_refused_reason


@pytest.mark.django_db
def test_a_value_the_database_refuses_when_applied_is_kept_as_failed_and_counted(
    client, monkeypatch
):
    """The door accepted it (202); the drain finds out, keeps it for managers, never retries."""
    _, token = services.integration_create(kind="events", name="Zabbix")
    monkeypatch.setattr(services, "event_intake", _fail)

    response = _post_event(client, token)

    assert response.status_code == 202
    delivery = Delivery.objects.get()
    assert delivery.failed and "integer out of range" in delivery.last_error
    integration = Integration.objects.get()
    assert integration.refused_count == 1
    assert "integer out of range" in integration.last_refused_reason


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "status", "allow"),
    [
        ("OPTIONS", "/accounts/login/", 200, "GET, POST, PUT, HEAD, OPTIONS"),
        ("PROPFIND", "/accounts/login/", 405, None),
        ("OPTIONS", "/status/", 405, "GET, HEAD, POST"),
        ("BREW", "/portal/", 405, "GET, HEAD, POST"),
        ("OPTIONS", "/api/docs/", 200, None),
    ],
)
def test_pages_answer_options_and_unknown_methods_without_rendering(method, path, status, allow):
    response = Client().generic(method, path)
    assert response.status_code == status
    assert "Allow" in response
    if allow:
        assert response["Allow"] == allow
