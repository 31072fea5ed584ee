"""Sending chat and push messages through Apprise, and delivering channel message rows.

`send_apprise` is the one door to Apprise: it checks the destination with the outbound
guard (itsm/outbound.py; ITSM_OUTBOUND_ALLOWLIST names exceptions), sends, and turns
Apprise's quiet `False` into a `DeliveryError` that says why, taken from what the plugin
logged in this thread, with the URL's secret parts blanked out. Errors are transient (the
service is down, overloaded or rate-limiting: try again later) or permanent (the URL is
wrong, the token revoked, the destination refused).

`deliver_message` sends one `ChannelMessage`, claimed first (PENDING -> SENDING with a
conditional update, like notifications/delivery.py), so a task delivered twice, or a
sweep racing a retry, posts once. A transient error puts the row back to PENDING with a
later due time; after MAX_ATTEMPTS, or on a permanent error, the row is FAILED.
"""

import logging
import re
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from itsm import outbound
from itsm.retries import attempts_left, backoff, claimable
from messaging import apprise_urls, guard
from messaging.fields import Undecryptable
from messaging.models import ChannelMessage, MessageStatus

logger = logging.getLogger(__name__)

_STATUS_CODE = re.compile(r"error=(\d{3})")
_TRANSIENT_WORDS = ("connection error", "timed out", "timeout", "temporarily", "try again")


class DeliveryError(Exception):
    """A message did not get through. `transient`: trying again later may work."""

    def __init__(self, message: str, transient: bool):
        super().__init__(message)
        self.message = message
        self.transient = transient


def send_apprise(url: str, *, title: str, body: str) -> None:
    """Send one message to one Apprise URL (clear text, as read from its encrypted field).
    Raises DeliveryError; never logs the URL."""
    if isinstance(url, Undecryptable):
        raise DeliveryError(
            "The stored URL cannot be decrypted with the configured ITSM_SECRETS_KEY; "
            "enter it again.",
            transient=False,
        )
    plugin = _plugin(url)
    try:
        apprise_urls.check_destination(plugin)
        with guard.checked(), _captured_warnings() as warnings:
            delivered = plugin.notify(title=title, body=body)
    except outbound.DestinationRefused as exc:
        raise DeliveryError(str(exc), transient=False) from exc
    except Exception as exc:  # a plugin bug or an error it does not catch itself
        raise DeliveryError(
            _redact(f"{type(exc).__name__}: {exc}", url), transient=isinstance(exc, OSError)
        ) from exc
    if not delivered:
        text = _redact(" ".join(warnings), url) or "The service did not accept the message."
        raise DeliveryError(text[:1000], transient=_is_transient(text))


def _plugin(url: str):
    if apprise_urls.scheme(url) in apprise_urls.LOCAL_SCHEMES:
        raise DeliveryError("Local desktop and log services are not channels.", transient=False)
    plugin = apprise_urls.instantiate(url)
    if plugin is None:
        raise DeliveryError("Apprise does not understand the URL.", transient=False)
    return plugin


def _is_transient(text: str) -> bool:
    """5xx, 408 and 429 answers and connection trouble may pass; other 4xx answers will not
    (bad token, unknown channel). An unexplained failure is tried again, MAX_ATTEMPTS at
    most."""
    codes = [int(code) for code in _STATUS_CODE.findall(text)]
    if codes:
        return all(code >= 500 or code in (408, 429) for code in codes)
    return any(word in text.lower() for word in _TRANSIENT_WORDS) or not text


class _ThreadWarnings(logging.Handler):
    """Collects the warnings Apprise logs in one thread (a worker may send in several)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.thread, self.messages = threading.get_ident(), []

    def emit(self, record):
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextmanager
def _captured_warnings():
    handler, apprise_logger = _ThreadWarnings(), logging.getLogger("apprise")
    apprise_logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        apprise_logger.removeHandler(handler)


def _redact(text: str, url: str) -> str:
    """`text` without the URL's tokens, topics and passwords (its host may stay)."""
    plugin = apprise_urls.instantiate(url)
    keep = {apprise_urls.network_host(plugin)} if plugin is not None else set()
    rest = url.split("://", 1)[-1]
    pieces = {
        piece for piece in re.split(r"[/:@?&=#,]+", rest) if len(piece) >= 4 and not piece.isdigit()
    }
    for piece in sorted(pieces - keep, key=len, reverse=True):
        text = text.replace(piece, "…")
    return text.strip()


def claim(message_id: int) -> ChannelMessage | None:
    """Take the row for this worker, or None when it is sent, failed or someone else's."""
    now = timezone.now()
    taken = ChannelMessage.objects.filter(
        claimable(now, waiting=[MessageStatus.PENDING], sending=MessageStatus.SENDING),
        pk=message_id,
    ).update(status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not taken:
        return None
    return ChannelMessage.objects.select_related("channel").get(pk=message_id)


def deliver_message(message_id: int) -> str:
    """Send one channel message if it is still waiting. Returns the row's new status:
    "sent", "failed", "pending" (a transient error: retry after `backoff`), or "skipped"
    (not claimable: already sent, failed, or being sent by another worker)."""
    message = claim(message_id)
    if message is None:
        return "skipped"
    if not message.channel.active:
        return _finish(message, MessageStatus.FAILED, error="The channel was deactivated.")
    try:
        send_apprise(message.channel.url, title=message.title, body=message.body)
    except DeliveryError as exc:
        logger.warning("Channel message %s not delivered: %s", message_id, exc.message)
        if exc.transient and attempts_left(message.attempts):
            due = timezone.now() + timedelta(seconds=backoff(message.attempts))
            return _finish(message, MessageStatus.PENDING, error=exc.message, due_at=due)
        if exc.transient:
            error = f"Gave up after {message.attempts} attempts: {exc.message}"
            return _finish(message, MessageStatus.FAILED, error=error)
        return _finish(message, MessageStatus.FAILED, error=exc.message)
    return _finish(message, MessageStatus.SENT, error="", sent_at=timezone.now())


def _finish(message: ChannelMessage, status: str, *, error: str, **fields) -> str:
    """Record the outcome, unless the lease lapsed and another worker took the row."""
    ChannelMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at
    ).update(status=status, last_error=error[:2000], **fields)
    return status
