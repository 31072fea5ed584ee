"""Fixtures of the fault tests: the application under gunicorn reaching PostgreSQL through
a proxy the test can cut, and signed-in sessions to call it with."""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connections
from django.test import Client

from tests.fixtures.faults import AppServer, CeleryProcess, TcpProxy

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


def database_url(port: int | None = None) -> str:
    """The test database's URL for another process, optionally through a proxy's port."""
    database = connections["default"].settings_dict
    host = "127.0.0.1" if port else database["HOST"] or "127.0.0.1"
    port = port or database["PORT"] or 5432
    return f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def app_server(database_proxy, tmp_path, settings):
    """gunicorn serving the application on the test database, through the proxy."""
    settings.SECRET_KEY = SECRET_KEY
    server = AppServer(tmp_path, database_url(database_proxy.port), SECRET_KEY=SECRET_KEY)
    server.start(ROOT)
    yield server
    server.stop()


def session_headers(user) -> dict:
    """Cookie and CSRF headers of a signed-in browser session of `user`."""
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}


@pytest.fixture
def celery_processes(transactional_db, tmp_path):
    """Starts real Celery workers and beats (separate processes, the production topology)
    on the test database and the configured broker, emptied first; stops them after."""
    from itsm.celery import app

    app.conf.task_always_eager = False  # this process publishes; those processes work
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)
    started = []

    def start(*args: str, **env) -> CeleryProcess:
        env = {"DATABASE_URL": database_url(), "LOG_LEVEL": "WARNING", **env}
        process = CeleryProcess(ROOT, tmp_path, list(args), env).start()
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.stop()
        app.conf.task_always_eager = True


def start_beat(start, tmp_path, name: str, **env) -> CeleryProcess:
    """A beat with every periodic task due each second and its own schedule file."""
    schedule = tmp_path / f"{name}-schedule"
    env = {"DJANGO_SETTINGS_MODULE": "tests.faults.fast_beat_settings", **env}
    return start("beat", "--loglevel=WARNING", f"--schedule={schedule}", **env)


def portal_report(server, session: dict, title: str, service) -> tuple:
    """POST the portal's report form as a signed-in browser would; the server's answer."""
    form = urlencode(
        {
            "csrfmiddlewaretoken": CSRF,
            "title": title,
            "description": "Down since this morning.",
            "service": service.pk,
            "impact": "medium",
            "urgency": "medium",
            "confirm_new": "on",
        }
    )
    headers = {**session, "Content-Type": "application/x-www-form-urlencoded"}
    return server.request("POST", "/portal/report/", form.encode(), **headers)
