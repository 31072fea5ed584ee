"""Real RFC 822 messages for the e-mail intake tests, built with `email.message.EmailMessage`
the way a mail client would send them, and serialised to the bytes a mail server delivers."""

import struct
import zlib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest


def _png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG image (white pixels), as a screenshot tool would attach."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png()


def build(
    *,
    sender="Alice <alice@example.com>",
    subject="VPN down",
    text: str | None = "Cannot connect since 9:00.",
    html: str | None = None,
    attachments=(),
    message_id: str | None = None,
    headers: dict | None = None,
) -> EmailMessage:
    """A message as a mail client builds it: text and/or HTML body, then files."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "servicedesk@example.com"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.com")
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text)
        if html is not None:
            message.add_alternative(html, subtype="html")
    elif html is not None:
        message.set_content(html, subtype="html")
    for filename, maintype, subtype, content in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def eml(**kwargs) -> bytes:
    return bytes(build(**kwargs))


@pytest.fixture
def make_eml():
    return eml


@pytest.fixture
def png():
    return PNG
