"""Every operation of the OpenAPI schema against hostile input, through the real stack:
schemathesis generates requests and hostile values are planted in every generated leaf;
hand-written bodies, content types, query strings, path parameters and methods cover
what generators do not reach. Nothing may answer 5xx or log an ERROR."""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.api.test_schema_conformance import (  # noqa: F401  (shared fixtures)
    _unthrottled_with_one_incident,
    schema,
)
from tests.hostile.values import (
    CONTENT_TYPES,
    HOSTILE_QUERY_VALUES,
    HOSTILE_STRINGS,
    HUGE_NUMBERS,
    RAW_BODIES,
    RAW_QUERY_STRINGS,
    TALLY,
    UNKNOWN_METHODS,
    plant,
    send,
)

pytestmark = pytest.mark.django_db

# Values schemathesis does not generate by itself: NUL and other controls, lone
# surrogates, bidirectional and format characters, numbers no column holds.
HOSTILE = st.one_of(
    st.sampled_from([*HOSTILE_STRINGS.values(), *HUGE_NUMBERS.values()]),
    st.text(st.characters(categories=["Cs", "Cc", "Cf"]), min_size=1, max_size=8),
    st.integers(min_value=2**63),
)
OPERATIONS = [
    (path, method.upper(), operation)
    for path, methods in schema.raw_schema["paths"].items()
    for method, operation in methods.items()
]
WITH_BODY = [(path, method) for path, method, operation in OPERATIONS if "requestBody" in operation]
PATHS = sorted({path for path, _, _ in OPERATIONS})


def _query_parameters():
    for path, method, operation in OPERATIONS:
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                yield path, method, parameter["name"]


def _encodable(value) -> bool:
    return not isinstance(value, str) or not any("\ud800" <= c <= "\udfff" for c in value)


def _send_case(client, case, hostile):
    """The generated request with `hostile` in every leaf, sent through Django's test
    client (schemathesis' own transport cannot encode a lone surrogate)."""
    body, query = case.body, case.query
    json_body = case.media_type == "application/json"
    if isinstance(body, dict | list) and (json_body or _encodable(hostile)):
        body = plant(body, hostile)
    if query and _encodable(hostile):
        query = plant(query, hostile)
    path = case.formatted_path + (f"?{urlencode(query, doseq=True)}" if query else "")
    if isinstance(body, dict) and case.media_type == "multipart/form-data":
        response = client.generic(case.method, path, *_multipart(body))
        TALLY[("api (generated)", response.status_code)] += 1
        return response
    data = json.dumps(body).encode() if isinstance(body, dict | list) else b""
    return send(
        client, "api (generated)", case.method, path, data, case.media_type or "application/json"
    )


def _multipart(body: dict) -> tuple[bytes, str]:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return encode_multipart(BOUNDARY, body), MULTIPART_CONTENT


@schema.given(hostile=HOSTILE)
@schema.parametrize()
@hypothesis_settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.generate],  # the schema's own examples are sent by test_schema_conformance
)
def test_generated_requests_with_hostile_values_never_break_the_api(case, hostile, manager_api):
    response = _send_case(manager_api, case, hostile)
    assert response.status_code < 500, (case.method, case.path)


@pytest.fixture
def api_paths(manager_api):
    """Each path of the schema with real ids: an incident, one of its files, a webhook."""
    number = "INC0001001"
    upload = manager_api.post(
        f"/api/v1/incidents/{number}/attachments/",
        {"file": ("note.txt", b"hello", "text/plain")},
        format="multipart",
    )
    webhook = manager_api.post(
        "/api/v1/webhooks/",
        {"name": "Chat", "url": "https://hooks.example.com/x"},
        format="json",
    )
    values = {
        "{number}": number,
        "{attachment_id}": str(upload.json()[0]["id"]) if upload.status_code == 201 else "1",
        "{id}": str(webhook.json()["id"]),
    }

    def fill(path: str, **override) -> str:
        for name, value in {**values, **override}.items():
            path = path.replace(name, value)
        return path

    return fill


@pytest.mark.parametrize(("path", "method"), WITH_BODY)
def test_hostile_bodies_never_break_the_api(path, method, manager_api, api_paths):
    for name, body in RAW_BODIES.items():
        response = send(manager_api, "api", method, api_paths(path), body, "application/json")
        if body:  # an empty body is a valid transition request
            assert response.status_code in (400, 403, 404, 409, 412, 413, 415, 422), name


@pytest.mark.parametrize(("path", "method"), WITH_BODY)
def test_wrong_content_types_never_break_the_api(path, method, manager_api, api_paths):
    body = json.dumps({"title": "VPN down", "body": "hi", "version": 1}).encode()
    for content_type in CONTENT_TYPES:
        send(manager_api, "api", method, api_paths(path), body, content_type)


@pytest.mark.parametrize(("path", "method", "name"), list(_query_parameters()))
def test_hostile_query_values_never_break_the_api(path, method, name, manager_api, api_paths):
    for value in HOSTILE_QUERY_VALUES:
        send(manager_api, "api", method, f"{api_paths(path)}?{name}={value}")


@pytest.mark.parametrize("path", PATHS)
def test_hostile_query_strings_path_values_and_methods_never_break_the_api(
    path, manager_api, api_paths
):
    for query in RAW_QUERY_STRINGS:
        send(manager_api, "api", "GET", f"{api_paths(path)}?{query}")
    for value in ("%00", "%ED%A0%80", "9" * 30, "-1", "x" * 300):
        if "{" in path:
            overrides = {name: value for name in ("{number}", "{attachment_id}", "{id}")}
            send(manager_api, "api", "GET", api_paths(path, **overrides))
    for method in UNKNOWN_METHODS:
        response = send(manager_api, "api", method, api_paths(path))
        assert response.status_code in (200, 204, 405), (method, response.status_code)


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_hostile_requests_never_break_the_api(client, path, api_paths):
    for name, body in list(RAW_BODIES.items())[:6]:
        response = send(client, "api", "POST", api_paths(path), body, "application/json")
        assert response.status_code in (400, 401, 405), (name, response.status_code)


FILE_NAMES = [b"a\x00b.txt", b"\xed\xa0\x80.txt", "\u202etxt.exe".encode(), b"x" * 5000 + b".txt"]


@pytest.mark.parametrize("filename", FILE_NAMES, ids=["nul", "surrogate", "rlo", "long"])
def test_hostile_file_names_never_break_an_upload(filename, manager_api, client, superuser):
    body = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\nhello\r\n--x--\r\n"
    )
    paths = {
        "api": (manager_api, "/api/v1/incidents/INC0001001/attachments/"),
        "portal": (client, "/portal/incidents/INC0001001/"),
    }
    client.force_login(superuser)
    for door, (sender, path) in paths.items():
        send(sender, door, "POST", path, body, "multipart/form-data; boundary=x")
