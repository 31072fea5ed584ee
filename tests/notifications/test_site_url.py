"""Links in e-mails point where the site is served: SITE_URL when set, else the address
`make run` serves on (HOST and PORT, which it and `manage.py run_local` set)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from incidents.management.commands.run_local import served_at


def _site_url(extra_env: dict) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    env.update(extra_env, DJANGO_SETTINGS_MODULE="itsm.settings")
    code = (
        "import django; from django.conf import settings; django.setup(); print(settings.SITE_URL)"
    )
    run = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(settings.BASE_DIR),
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8001"}, "http://127.0.0.1:8001"),
        ({"HOST": "localhost", "PORT": "8001"}, "http://localhost:8001"),
        ({"HOST": "0.0.0.0", "PORT": "8001"}, "http://127.0.0.1:8001"),  # noqa: S104
        ({"HOST": "::1", "PORT": "8001"}, "http://[::1]:8001"),
        ({"SITE_URL": "https://itsm.example.com/", "PORT": "8001"}, "https://itsm.example.com"),
    ],
)
def test_links_follow_the_served_address_unless_site_url_is_set(environment, expected):
    assert _site_url(environment) == expected


@pytest.mark.parametrize(
    ("addrport", "expected"),
    [
        ("8001", {"HOST": "127.0.0.1", "PORT": "8001"}),
        ("127.0.0.1:8001", {"HOST": "127.0.0.1", "PORT": "8001"}),
        ("0.0.0.0:8002", {"HOST": "0.0.0.0", "PORT": "8002"}),  # noqa: S104
        ("[::1]:8003", {"HOST": "::1", "PORT": "8003"}),
    ],
)
def test_run_local_hands_its_address_to_the_server_worker_and_beat(addrport, expected):
    assert served_at(addrport) == expected
