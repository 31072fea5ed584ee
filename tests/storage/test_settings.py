"""Choosing the storage by environment fails loudly on a mistake, as every setting does."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings_error(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ITSM_STORAGE"))}
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "itsm.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stderr if result.returncode else ""


def test_an_unknown_storage_stops_the_process_naming_the_variable():
    assert "ITSM_STORAGE='bucket': use disk or s3." in _settings_error(ITSM_STORAGE="bucket")


def test_s3_storage_without_a_bucket_name_stops_the_process():
    assert "needs AWS_STORAGE_BUCKET_NAME" in _settings_error(ITSM_STORAGE="s3")


def test_s3_storage_with_a_bucket_starts():
    assert _settings_error(ITSM_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="itsm") == ""
