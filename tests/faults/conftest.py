"""Fixtures of the fault tests: the application under gunicorn reaching PostgreSQL through
a proxy the test can cut, and signed-in sessions to call it with."""

from pathlib import Path

import pytest
from django.db import connections
from django.test import Client

from tests.fixtures.faults import AppServer, TcpProxy

ROOT = Path(__file__).resolve().parents[2]
CSRF = "faulttestsfaulttestsfaulttests12"  # an unmasked CSRF secret (32 characters)
SECRET_KEY = "fault-tests-" + "k" * 50  # shared, so sessions made here are valid there


@pytest.fixture
def database_proxy(transactional_db):
    """A TCP proxy in front of the test database; `down()` is a database outage."""
    database = connections["default"].settings_dict
    proxy = TcpProxy(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
    yield proxy
    proxy.close()


@pytest.fixture
def app_server(database_proxy, tmp_path, settings):
    """gunicorn serving the application on the test database, through the proxy."""
    settings.SECRET_KEY = SECRET_KEY
    database = connections["default"].settings_dict
    url = f"postgres://{database['USER']}@127.0.0.1:{database_proxy.port}/{database['NAME']}"
    server = AppServer(tmp_path, url, SECRET_KEY=SECRET_KEY)
    server.start(ROOT)
    yield server
    server.stop()


def session_headers(user) -> dict:
    """Cookie and CSRF headers of a signed-in browser session of `user`."""
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
