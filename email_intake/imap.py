"""Fetching mail from an IMAP mailbox (optional; the mail server piping into `ingest_email`
needs none of this).

Unseen messages are read with BODY.PEEK (which does not mark them seen), ingested, and only
then flagged \\Seen. A crash in between leaves the message unseen, so the next poll fetches it
again and the Message-ID record makes that second ingestion a no-op; a connection that
drops mid-poll is the same case.

The server's certificate is verified (against ITSM_IMAP_CA_FILE when set, else the system's
authorities): the password is only ever sent to the server it is meant for.
"""

import imaplib
import logging
import ssl

from django.conf import settings

from email_intake.parsing import UnreadableMessage
from email_intake.services import ingest_message

logger = logging.getLogger("email_intake")

BATCH = 100


class MailboxError(Exception):
    """The IMAP server refused a command."""


def _check(response, what: str):
    status, data = response
    if status != "OK":
        raise MailboxError(f"IMAP {what} failed: {data!r}")
    return data


def quote_mailbox(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _message_bytes(data) -> bytes | None:
    """The literal of a FETCH answer: [(b'1 (UID 7 BODY[] {123}', b'...'), b')']."""
    for item in data or ():
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None


def poll_mailbox(*, batch: int = BATCH) -> int:
    """Ingest up to `batch` unseen messages of the configured folder; returns how many were
    handled. Connection and protocol errors are logged and end this poll (the next one tries
    again); database errors propagate, leaving the message unseen."""
    try:
        client = imaplib.IMAP4_SSL(
            settings.ITSM_IMAP_HOST,
            settings.ITSM_IMAP_PORT,
            ssl_context=ssl.create_default_context(cafile=settings.ITSM_IMAP_CA_FILE or None),
            timeout=30,
        )
    except OSError as exc:
        logger.warning("IMAP server %s unreachable: %s", settings.ITSM_IMAP_HOST, exc)
        return 0
    try:
        return _poll(client, batch)
    except (imaplib.IMAP4.error, MailboxError, OSError) as exc:
        logger.warning("IMAP poll of %s stopped: %s", settings.ITSM_IMAP_HOST, exc)
        return 0
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            logger.debug("IMAP logout failed", exc_info=True)


def _poll(client, batch: int) -> int:
    client.login(settings.ITSM_IMAP_USER, settings.ITSM_IMAP_PASSWORD)
    _check(client.select(quote_mailbox(settings.ITSM_IMAP_FOLDER)), "SELECT")
    uids = _check(client.uid("SEARCH", None, "UNSEEN"), "SEARCH")[0].split()[:batch]
    for uid in uids:
        raw = _message_bytes(_check(client.uid("FETCH", uid, "(BODY.PEEK[])"), "FETCH"))
        _ingest(uid, raw)
        _check(client.uid("STORE", uid, "+FLAGS", "(\\Seen)"), "STORE")
    return len(uids)


def _ingest(uid, raw: bytes | None) -> None:
    try:
        ingest_message(raw or b"")
    except UnreadableMessage as exc:
        # Marked seen all the same: fetching it again would not make it readable.
        logger.warning("IMAP message %s is not an e-mail: %s", uid, exc)
