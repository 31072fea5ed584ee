"""IMAP polling is scheduled only when configured, and a half configuration stops the start."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def _settings_run(extra_env: dict) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ITSM_IMAP")}
    env.update(extra_env, DJANGO_SETTINGS_MODULE="itsm.settings")
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(sorted(settings.CELERY_BEAT_SCHEDULE))"
    )
    return subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(settings.BASE_DIR),
        timeout=60,
    )


def test_beat_does_not_poll_imap_when_no_host_is_set():
    run = _settings_run({})

    assert run.returncode == 0, run.stderr
    assert "poll-imap-mailbox" not in run.stdout


def test_beat_polls_imap_when_host_user_and_password_are_set():
    run = _settings_run(
        {"ITSM_IMAP_HOST": "imap.example.com", "ITSM_IMAP_USER": "u", "ITSM_IMAP_PASSWORD": "p"}
    )

    assert run.returncode == 0, run.stderr
    assert "poll-imap-mailbox" in run.stdout


def test_an_imap_host_without_credentials_stops_the_start_with_a_clear_error():
    run = _settings_run({"ITSM_IMAP_HOST": "imap.example.com"})

    assert run.returncode != 0
    assert "ITSM_IMAP_HOST needs ITSM_IMAP_USER and ITSM_IMAP_PASSWORD" in run.stderr
