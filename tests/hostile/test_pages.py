"""Every page the URLconf serves (portal, accounts, admin, status, preferences) against
hostile methods and query strings, and every form on them against hostile field values
and bodies, through the whole middleware stack. Nothing may answer 5xx or log an ERROR;
a method a page does not serve is 405 (or OPTIONS answered with Allow)."""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.test import Client

from tests.hostile.values import (
    HOSTILE_STRINGS,
    send,
)
from tests.security.test_csrf import _get_paths

pytestmark = pytest.mark.django_db

API = re.compile(r"^/api/")
QUERY_NAMES = ("q", "o", "p", "e", "page", "next", "status", "service", "team", "from", "to")
ADMIN_QUERY_NAMES = ("_changelist_filters", "_to_field", "_popup", "status__exact", "kind")


def _query(value: str) -> str:
    return "&".join(f"{name}={value}" for name in (*QUERY_NAMES, *ADMIN_QUERY_NAMES))


# Malformed percent-encoding, NUL, an encoded surrogate, numbers and text past any column.
HOSTILE_QUERIES = [
    "%&%zz&=&&a[]=%ff%fe&" + _query("%00"),
    _query("%ED%A0%80"),
    _query("9" * 30) + "&long=" + "x" * 5000,
]
# Posting to these acts whatever the fields say (deletes, signs out): nothing to learn.
NOT_POSTED = re.compile(r"delete|logout")


def door(path: str) -> str:
    return path.strip("/").split("/")[0] or "root"


def pages(world) -> list[tuple[str, str]]:
    return [(name, path) for name, path in _get_paths(world) if not API.match(path)]


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def test_unknown_methods_and_options_are_405_or_answered_with_allow(world, superuser_client):
    anonymous = Client()
    for name, path in pages(world):
        for client, methods in ((anonymous, ["BREW"]), (superuser_client, ["OPTIONS", "BREW"])):
            for method in methods:
                response = send(client, door(path), method, path)
                answered = method == "OPTIONS" and response.status_code == 200
                assert answered or response.status_code in (302, 403, 404, 405), (name, method)
                assert not answered or "Allow" in response, (name, method)


def test_hostile_query_strings_never_break_a_page(world, superuser_client, browser_for):
    alice = browser_for("alice")
    for _name, path in pages(world):
        clients = (superuser_client,) if path.startswith("/admin/") else (superuser_client, alice)
        for client in clients:
            for query in HOSTILE_QUERIES:
                send(client, door(path), "GET", f"{path}?{query}")


class _Forms(HTMLParser):
    """Names of the fields of each POST form on a page (not files, buttons, CSRF)."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append([])
        elif tag in ("input", "textarea", "select") and self.forms and attrs.get("name"):
            skipped = attrs.get("type") in ("file", "submit", "button", "image")
            if not skipped and attrs["name"] != "csrfmiddlewaretoken":
                self.forms[-1].append(attrs["name"])


def _fields(response) -> list[str]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _Forms()
    parser.feed(response.content.decode())
    return sorted({name for form in parser.forms for name in form})


def _encoded(fields: list[str], value: str) -> bytes:
    """A form body as a browser would send it; a lone surrogate as the bytes it would be."""
    raw = value.encode("utf-8", "surrogatepass")
    return "&".join(f"{quote(name)}={quote(raw)}" for name in fields).encode()


FORM_TYPE = "application/x-www-form-urlencoded"
FORM_VALUES = [
    *(HOSTILE_STRINGS[name] for name in ("nul", "surrogate", "long", "rlo")),
    "9" * 30,
    "[" * 5_000 + "]" * 5_000,  # JSON fields
    '{"a\\u0000": "\\ud800"}',  # escapes only a JSON decoder turns into NUL and a surrogate
]
BROKEN_BODIES = [
    (b"a=%zz&%=&&=b&title=%", FORM_TYPE),
    (
        b'--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nunterminated',
        "multipart/form-data; boundary=x",
    ),
    (b"title=x", "multipart/form-data"),
]


def _form_pages(world, clients):
    """Each page with a POST form, with the first client (anonymous, end user, superuser)
    that is shown the form."""
    for name, path in pages(world):
        if NOT_POSTED.search(name):
            continue
        for client in clients():
            fields = _fields(client.get(path))
            if fields:
                yield name, path, client, fields
                break


def test_hostile_values_in_every_form_field_never_break_a_page(world, superuser, browser_for):
    def clients():
        admin = Client()
        admin.force_login(superuser)
        return [Client(), browser_for("alice"), admin]

    posted = 0
    for _name, path, client, fields in _form_pages(world, clients):
        for value in ("%00", "9" * 30):  # fields prefilled from the query
            send(client, door(path), "GET", f"{path}?" + "&".join(f"{f}={value}" for f in fields))
        for value in FORM_VALUES:
            send(client, door(path), "POST", path, _encoded(fields, value), FORM_TYPE)
        for body, content_type in BROKEN_BODIES:
            send(client, door(path), "POST", path, body, content_type)
        posted += 1
    assert posted > 20  # the forms were found: portal, accounts and admin pages
