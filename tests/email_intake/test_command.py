"""`manage.py ingest_email`: one message on standard input (a mail server pipe) or files.
Exit 0 whenever the message was handled, ignored included; non-zero only for input that is
not an e-mail, so the mail server bounces nothing a person wrote."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from email_intake.models import InboundMessage
from incidents.models import Incident
from tests.email_intake.conftest import eml

pytestmark = pytest.mark.django_db


class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def run(*args, stdin: bytes = b"") -> str:
    out, err = io.StringIO(), io.StringIO()
    original = sys.stdin
    sys.stdin = _Stdin(stdin)
    try:
        call_command("ingest_email", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = original
    return out.getvalue() + err.getvalue()


def test_a_message_piped_on_standard_input_opens_an_incident(reporter):
    output = run(stdin=eml(subject="Laptop will not boot"))

    incident = Incident.objects.get()
    assert incident.title == "Laptop will not boot"
    assert output.strip() == f"standard input: created {incident.number}"


def test_message_files_given_as_arguments_are_all_ingested(reporter, tmp_path, make_incident):
    first, second = tmp_path / "first.eml", tmp_path / "second.eml"
    first.write_bytes(eml(subject="Printer jams"))
    existing = make_incident()
    second.write_bytes(eml(subject=f"Re: [{existing.number}]", text="Any news?"))

    output = run(str(first), str(second))

    assert f"{second}: commented on {existing.number}" in output
    assert Incident.objects.filter(title="Printer jams").exists()


def test_an_ignored_message_exits_successfully(db):
    output = run(stdin=eml(sender="nobody@elsewhere.example"))

    assert "ignored: Unknown sender" in output


def test_a_duplicate_says_so(reporter):
    raw = eml()
    run(stdin=raw)

    assert "already ingested (created INC" in run(stdin=raw)


def test_input_that_is_not_an_e_mail_fails_with_ex_dataerr(db):
    with pytest.raises(CommandError) as raised:
        run(stdin=b"")

    assert raised.value.returncode == 65
    assert not InboundMessage.objects.exists()


def test_a_missing_file_fails_but_the_other_files_are_still_ingested(reporter, tmp_path):
    good = tmp_path / "good.eml"
    good.write_bytes(eml())

    with pytest.raises(CommandError, match="1 of 2 input"):
        run(str(tmp_path / "missing.eml"), str(good))

    assert Incident.objects.count() == 1


def test_the_command_works_as_a_real_pipe_with_exit_codes(tmp_path):
    """As the mail server runs it: a separate process reading its standard input (with its
    own SQLite database, whatever database the other tests use)."""
    database_url = f"sqlite:///{tmp_path / 'pipe.sqlite3'}"
    _manage(["migrate", "-v0"], tmp_path, database_url)
    create_alice = "from django.contrib.auth.models import User; User.objects.create_user("
    create_alice += "'alice', 'alice@example.com')"
    _manage(["shell", "-c", create_alice], tmp_path, database_url)

    ok = _manage(["ingest_email"], tmp_path, database_url, eml(subject="Piped in"))
    ignored = _manage(["ingest_email"], tmp_path, database_url, eml(sender="x@elsewhere.example"))
    unreadable = _manage(["ingest_email"], tmp_path, database_url, b"")

    assert (ok.returncode, ignored.returncode, unreadable.returncode) == (0, 0, 65)
    assert b"created INC" in ok.stdout
    assert b"ignored: Unknown sender" in ignored.stdout
    assert b"The input is empty." in unreadable.stderr


def _manage(args: list[str], tmp_path, database_url: str, stdin: bytes = b""):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ITSM_VAR_DIR": str(tmp_path / "var"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_URL", None)
    return subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "manage.py", *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=Path(settings.BASE_DIR),
        timeout=120,
    )
