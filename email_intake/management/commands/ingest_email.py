"""`manage.py ingest_email [FILE ...]`: ingest e-mail from files or, without arguments, one
message from standard input (a mail server pipe such as a Postfix alias).

Exit status: 0 when every message was handled, including ignored and duplicate ones (a
non-zero status would make the mail server bounce or retry them); 65 (EX_DATAERR) when an
input is not an e-mail or cannot be read; 75 (EX_TEMPFAIL) when the database is unavailable,
so the mail server keeps the message and delivers it again later.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from email_intake.parsing import UnreadableMessage
from email_intake.services import ingest_message

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Turn e-mail messages (files, or one message on standard input) into incidents."
    # Runs once per message from the mail server: skip the system checks (URLs, admin), which
    # cost time and have nothing to do with filing mail.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="RFC 822 message files (.eml)")

    def handle(self, *args, files, **options):
        sources = files or ["-"]
        unreadable = 0
        for source in sources:
            unreadable += not self._ingest(source)
        if unreadable:
            raise CommandError(
                f"{unreadable} of {len(sources)} input(s) could not be read as e-mail.",
                returncode=EX_DATAERR,
            )

    def _ingest(self, source: str) -> bool:
        name = "standard input" if source == "-" else source
        try:
            raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
            result = ingest_message(raw)
        except (OSError, UnreadableMessage) as exc:
            self.stderr.write(f"{name}: {exc}")
            return False
        except DatabaseError as exc:
            raise CommandError(
                f"{name}: database unavailable, try again later ({exc}).", returncode=EX_TEMPFAIL
            ) from exc
        self.stdout.write(f"{name}: {_describe(result)}")
        return True


def _describe(result) -> str:
    what = {
        "created": f"created {result.incident_number}",
        "commented": f"commented on {result.incident_number}",
    }.get(result.status, f"{result.status}: {result.reason}")
    if result.duplicate:
        what = f"already ingested ({what})"
    for refused in result.refused_attachments:
        what += f"; attachment not accepted: {refused}"
    return what
