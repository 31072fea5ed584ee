"""Sending notifications: claim a batch, send it over one SMTP connection, record each result.

A row is claimed (PENDING -> SENDING, attempts + 1) before anything is sent, so two tasks
holding the same ids cannot both send it. Errors are sorted into transient ones (connection
trouble, 4xx replies: the row goes back to PENDING with a later due time and the task
retries) and permanent ones (5xx replies, bad headers, template errors: the row is FAILED
with the error). After MAX_ATTEMPTS a transient error also counts as permanent.

A claim is a lease (`itsm.leases`): the batch renews it while it sends, and a SENDING row
whose lease ran out (its worker was killed) is claimable again, here on redelivery or by
the reclaim sweep. So a killed worker's rows are sent by another worker within minutes;
only the message the mail server accepted in the instant before the kill, not yet recorded
as sent, goes out twice.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from django.core.mail import get_connection
from django.db import connections, router, transaction
from django.db.models import F, Q
from django.utils import timezone

from itsm.leases import RenewalClock
from itsm.retries import attempts_left, backoff, claimable
from notifications.content import notification_context
from notifications.emails import make_message, render_trio, thread_id
from notifications.models import DeliveryStatus, Notification
from profiles.services import profile_locale, reading_in

logger = logging.getLogger(__name__)


class TransientError(Exception):
    """Delivery may work later."""


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    retry_ids: list[int] = field(default_factory=list)
    error: str = ""


def is_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return False
    return isinstance(exc, OSError)  # refused, reset, timeout, DNS, server disconnected


def _claimable(now) -> Q:
    return claimable(now, waiting=[DeliveryStatus.PENDING], sending=DeliveryStatus.SENDING)


def claim(notification_ids) -> list[Notification]:
    """Take the claimable rows among `notification_ids` for this worker (skipping rows
    another worker is claiming right now) and return them ready to render."""
    now = timezone.now()
    with transaction.atomic():
        free = Notification.objects.select_for_update(skip_locked=True).filter(
            _claimable(now), pk__in=list(notification_ids)
        )
        pks = list(free.values_list("pk", flat=True))
        Notification.objects.filter(_claimable(now), pk__in=pks).update(
            status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    related = ["event", "incident__service", "incident__team", "incident__assignee"]
    related += ["incident__reporter", "incident__resolution_code", "recipient__profile"]
    return list(Notification.objects.filter(pk__in=pks).select_related(*related).order_by("pk"))


def deliver_batch(notification_ids) -> BatchResult:
    """Send the claimable notifications among `notification_ids` over one connection."""
    result, batch = BatchResult(), claim(notification_ids)
    if not batch:
        return result
    connection = get_connection()
    try:
        connection.open()  # opened here, the backend keeps it for the whole batch
    except Exception as exc:  # never the messages' fault: all of them wait for a retry
        logger.warning("Cannot connect to the mail server: %s", exc)
        result.error = _describe(exc)
        result.retry_ids = _release(batch, result.error)
        return result
    shared = {}  # per-event template parts, read once for the whole batch
    clock, lost = RenewalClock(), set()
    try:
        for index, notification in enumerate(batch):
            if clock.due():
                lost |= renew(batch[index:])
            if notification.pk in lost:
                continue  # our lease lapsed and another worker took the row over
            try:
                _send_one(notification, connection, shared)
                result.sent += 1
            except TransientError as exc:
                result.error = str(exc)
                held = [row for row in batch[index:] if row.pk not in lost]
                result.retry_ids = _release(held, result.error)
                break
            except Exception as exc:  # anything else will not improve by retrying
                logger.warning("Notification %s failed: %s", notification.pk, exc)
                _finish(notification, status=DeliveryStatus.FAILED, error=_describe(exc))
                result.failed += 1
    finally:
        _close(connection)
    return result


def renew(rows: list[Notification]) -> set[int]:
    """Extend this worker's claim on `rows` (claimed together, so sharing one claim time);
    returns the ids it no longer holds. The claim time is the lease's token: a row another
    worker reclaimed carries that worker's."""
    now, token, pks = timezone.now(), rows[0].claimed_at, [row.pk for row in rows]
    mine = Notification.objects.filter(pk__in=pks, status=DeliveryStatus.SENDING)
    mine.filter(claimed_at=token).update(claimed_at=now)
    held = set(mine.filter(claimed_at=now).values_list("pk", flat=True))
    for row in rows:
        row.claimed_at = now
    return set(pks) - held


def _send_one(notification: Notification, connection, shared: dict) -> None:
    locale = profile_locale(notification.recipient)
    context = notification_context(notification, shared)
    # The text depends on the event, the message, the reader's role and link, language and
    # time zone only: the thousand subscribers of a major incident share a few renderings.
    key = (notification.event_id, notification.template, notification.staff)
    key += (notification.role, context["link"], *locale)
    if key not in shared:
        with reading_in(*locale):
            shared[key] = render_trio(notification.template, context)
    message = make_message(
        notification.template,
        to=notification.address,
        rendered=shared[key],
        thread=thread_id(notification.incident.number),
        connection=connection,
    )
    try:
        message.send()
    except Exception as exc:
        if is_transient(exc):
            raise TransientError(_describe(exc)) from exc
        raise
    _record_sent(notification, message)


def _record_sent(notification: Notification, message) -> None:
    """The row's "sent" record, written the moment the server accepted the message, so
    a worker killed after it never sends the message again. One statement per message,
    in SQL: the ORM's UPDATE cost about as much CPU as the SMTP exchange it records."""
    connection = connections[router.db_for_write(Notification)]
    values = [DeliveryStatus.SENT, message.subject[:300], message.extra_headers["Message-ID"]]
    values += [timezone.now(), ""]
    fields = [Notification._meta.get_field(name) for name in _SENT_FIELDS]
    params = [
        field.get_db_prep_save(v, connection) for field, v in zip(fields, values, strict=True)
    ]
    with connection.cursor() as cursor:
        statement = _sent_statement(connection.alias)
        cursor.execute(statement, [*params, notification.pk, DeliveryStatus.SENDING])


_SENT_FIELDS = ("status", "subject", "message_id", "sent_at", "error")


@cache
def _sent_statement(alias: str) -> str:
    """UPDATE ... SET the _SENT_FIELDS WHERE pk = %s AND status = %s (still ours)."""
    quote, meta = connections[alias].ops.quote_name, Notification._meta
    columns = [quote(meta.get_field(name).column) for name in _SENT_FIELDS]
    assign = ", ".join(f"{column} = %s" for column in columns)
    pk, status = quote(meta.pk.column), quote(meta.get_field("status").column)
    table = quote(meta.db_table)
    return f"UPDATE {table} SET {assign} WHERE {pk} = %s AND {status} = %s"  # noqa: S608


def _finish(notification: Notification, **fields) -> None:
    Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.SENDING).update(**fields)


def _release(rows: list[Notification], error: str) -> list[int]:
    """Put rows back for a later attempt, or fail those that used up their attempts."""
    now, retry = timezone.now(), []
    for row in rows:
        if not attempts_left(row.attempts):
            _finish(
                row,
                status=DeliveryStatus.FAILED,
                error=f"Gave up after {row.attempts} attempts: {error}",
            )
            continue
        _finish(
            row,
            status=DeliveryStatus.PENDING,
            due_at=now + timedelta(seconds=backoff(row.attempts)),
            error=error,
        )
        retry.append(row.pk)
    return retry


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # a broken connection may fail to say goodbye; nothing to do
        logger.debug("Closing the SMTP connection failed", exc_info=True)
