"""Sending status mails: claim, render with the project's e-mail helper, send, record.

Every message carries the subscriber's one-click unsubscribe link (RFC 8058):
`List-Unsubscribe: <https://.../status/unsubscribe/<token>/>` and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from itsm.retries import attempts_left
from notifications.delivery import is_transient
from notifications.emails import make_message
from statuspage.models import MailStatus, StatusMail

logger = logging.getLogger(__name__)


def claim(ids: list[int]) -> list[StatusMail]:
    """Take the PENDING rows among `ids` (PENDING -> SENDING, one conditional update each,
    so two tasks holding the same ids never both send one); `sent_at` holds the claim
    time until the row is sent."""
    now = timezone.now()
    rows = StatusMail.objects.filter(pk__in=list(ids), status=MailStatus.PENDING)
    claimed = []
    for pk in rows.values_list("pk", flat=True):
        took = StatusMail.objects.filter(pk=pk, status=MailStatus.PENDING).update(
            status=MailStatus.SENDING, attempts=F("attempts") + 1, sent_at=now
        )
        if took:
            claimed.append(pk)
    return list(StatusMail.objects.filter(pk__in=claimed).select_related("subscriber"))


def unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("status-unsubscribe", args=[token])


def _context(mail: StatusMail) -> dict:
    context = {}
    for name, value in mail.context.items():
        if name.endswith("_at") or name == "at":
            value = datetime.fromisoformat(value)
        context[name] = value
    context["site_url"] = settings.SITE_URL
    context["status_url"] = settings.SITE_URL + reverse("status")
    if "confirm_path" in context:
        context["confirm_url"] = settings.SITE_URL + context["confirm_path"]
    if "month" in context:
        context["history_url"] = context["status_url"] + f"history/?month={context['month']}"
    context["unsubscribe_url"] = unsubscribe_url(mail.subscriber.token)
    return context


def _send(mail: StatusMail, connection) -> None:
    with translation.override(mail.subscriber.language or settings.LANGUAGE_CODE):
        message = _message(mail, connection)
    message.send()
    StatusMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.SENT,
        sent_at=timezone.now(),
        message_id=message.extra_headers["Message-ID"],
        error="",
    )


def _message(mail: StatusMail, connection):
    """The mail in its subscriber's language (times in TIME_ZONE: a subscriber has no zone)."""
    context = _context(mail)
    return make_message(
        mail.template,
        to=mail.subscriber.email,
        context=context,
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )


def deliver(ids: list[int]) -> tuple[int, list[int]]:
    """Send the claimable rows among `ids`; returns (sent, ids to retry)."""
    batch = claim(ids)
    if not batch:
        return 0, []
    sent, retry = 0, []
    connection = get_connection()
    try:
        connection.open()
        for mail in batch:
            try:
                _send(mail, connection)
                sent += 1
            except Exception as exc:
                retry += _failed(mail, exc)
    except Exception as exc:  # cannot connect: every row waits for a retry
        for mail in batch:
            retry += _failed(mail, exc)
    finally:
        try:
            connection.close()
        except Exception:  # a broken connection may fail to say goodbye
            logger.debug("Closing the SMTP connection failed", exc_info=True)
    return sent, retry


def _failed(mail: StatusMail, exc: Exception) -> list[int]:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    again = is_transient(exc) and attempts_left(mail.attempts)
    status = MailStatus.PENDING if again else MailStatus.FAILED
    StatusMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING).update(
        status=status, error=error
    )
    logger.warning("Status mail %s failed: %s", mail.pk, error)
    return [mail.pk] if again else []
