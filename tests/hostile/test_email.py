"""The e-mail door against hostile messages: NUL characters, undecodable header bytes (the
email package turns them into lone surrogates), bidirectional overrides, over-long
headers and nested parts. A message is never lost for what it contains: unstorable
characters are stored as U+FFFD."""

import pytest

from email_intake.models import InboundMessage
from email_intake.services import ingest_message
from incidents.models import Incident
from tests.email_intake.conftest import eml
from tests.hostile.values import TALLY

pytestmark = pytest.mark.django_db

RAW_HEADERS = (
    b"From: Alice <alice@example.com>\r\nTo: servicedesk@example.com\r\n"
    b"Message-ID: <raw-1@mail.example.com>\r\n"
)


def _nested(levels: int) -> bytes:
    parts = b"".join(
        f"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n".encode()
        for i in range(levels)
    )
    return RAW_HEADERS + b"Subject: nested\r\n" + parts + b"Content-Type: text/plain\r\n\r\nhi\r\n"


MESSAGES = {
    "nul in the body": eml(text="Printer\x00jams"),
    "nul in the subject": eml(subject="Printer\x00jams"),
    "raw 8-bit subject": RAW_HEADERS + b"Subject: Drucker \xff\xfe kaputt\r\n\r\nbody\r\n",
    "raw 8-bit sender name": RAW_HEADERS.replace(b"Alice", b"Al\xffce")
    + b"Subject: x\r\n\r\nbody\r\n",
    "right-to-left override": eml(subject="Invoice \u202egpj.exe"),
    "long subject": eml(subject="x" * 70_000),
    "nested parts": _nested(500),
    "bad charset": RAW_HEADERS
    + b"Subject: x\r\nContent-Type: text/plain; charset=no-such\r\n\r\n\xff\r\n",
    "encoded-word with nul": RAW_HEADERS + b"Subject: =?utf-8?q?a=00b?=\r\n\r\nbody\r\n",
}


@pytest.mark.parametrize("name", list(MESSAGES))
def test_a_hostile_message_is_stored_never_an_error(name, reporter):
    result = ingest_message(MESSAGES[name])
    TALLY[("e-mail", result.status)] += 1
    record = InboundMessage.objects.get()
    for value in (record.subject, getattr(record, "body", "")):
        assert "\x00" not in value
    for incident in Incident.objects.all():
        assert "\x00" not in incident.title + incident.description
