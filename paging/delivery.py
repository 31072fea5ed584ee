"""Sending pages: claim, send by the page's method (e-mail or Apprise), record the result.

A page is claimed (PENDING -> SENDING, attempts + 1) before it is sent, and only while it
is still needed (`paging.services.still_needed`); one that is not is cancelled instead.
Pages are few and urgent, so each is sent on its own: a slow chat service cannot hold up
the e-mail to the next person. Transient failures go back to PENDING with the same backoff
as notifications; a SENDING row whose worker died is claimable again after the lease.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import Incident
from incidents.practice import marked
from incidents.visibility import CONFIDENTIAL_TITLE, may_see
from itsm.leases import expired_before
from notifications.content import absolute
from notifications.delivery import backoff, is_transient
from notifications.emails import make_message, thread_id
from notifications.services import MAX_ATTEMPTS
from paging.links import ack_url
from paging.models import Page, PageStatus
from paging.services import still_needed
from profiles.services import reading_as

logger = logging.getLogger(__name__)


class DeliveryRefused(Exception):
    """The page cannot be sent as it stands; retrying will not help."""


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0


def claimable(now) -> Q:
    lapsed = Q(status=PageStatus.SENDING, claimed_at__lt=expired_before(now))
    return (Q(status=PageStatus.PENDING) | (lapsed & Q(attempts__lt=MAX_ATTEMPTS))) & Q(
        due_at__lte=now
    )


def _claim_one(page_id: int, now) -> Page | None:
    with transaction.atomic():
        page = (
            Page.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "incident__service", "incident__team", "escalation", "user", "contact_method"
            )
            .filter(claimable(now), pk=page_id)
            .first()
        )
        if page is None:
            return None
        why_not = still_needed(page.incident, page.escalation)
        if why_not:
            _finish(page, status=PageStatus.CANCELLED, last_error=f"Not sent: {why_not}.")
            return None
        page.status, page.claimed_at, page.attempts = PageStatus.SENDING, now, page.attempts + 1
        page.save(update_fields=["status", "claimed_at", "attempts"])
        return page


def send_pages(page_ids) -> Sent:
    """Send every claimable, due page among `page_ids`."""
    result = Sent()
    for page_id in page_ids:
        page = _claim_one(page_id, timezone.now())
        if page is None:
            result.cancelled += 1
            continue
        if _send(page):
            result.sent += 1
        else:
            result.failed += 1
    return result


def due_page_ids(now=None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    rows = Page.objects.filter(claimable(now)).order_by("due_at")
    return list(rows.values_list("pk", flat=True)[:limit])


def page_text(page: Page) -> tuple[str, str]:
    """Title and plain text of a chat or push page: number, title, why, the links."""
    incident: Incident = page.incident
    title = marked(incident, f"[{incident.priority}] {incident.number} {_title_for(page)}")[:250]
    step = f"step {page.step + 1}, " if page.step is not None else ""
    lines = [
        f"You are paged ({step}{page.reason}).",
        f"{incident.get_priority_display()} · {incident.get_status_display()}"
        + (f" · {incident.service.name}" if incident.service else ""),
        f"Acknowledge: {ack_url(page.pk)}",
        f"Open: {absolute(incident.get_admin_url())}",
    ]
    return title, "\n".join(lines)


def _send(page: Page) -> bool:
    from messaging.delivery import DeliveryError, send_apprise

    try:
        if page.kind == "email":
            message_id = _send_mail(page)
        else:
            title, body = page_text(page)
            send_apprise(_target(page), title=title, body=body)
            message_id = ""
    except DeliveryError as exc:
        return _failed(page, str(exc), transient=exc.transient)
    except DeliveryRefused as exc:
        return _failed(page, str(exc), transient=False)
    except Exception as exc:
        logger.warning("Page %s failed: %s", page.pk, exc)
        return _failed(page, f"{type(exc).__name__}: {exc}", transient=is_transient(exc))
    _finish(
        page, status=PageStatus.SENT, sent_at=timezone.now(), message_id=message_id, last_error=""
    )
    return True


def _title_for(page: Page) -> str:
    """A confidential incident's title reaches only someone who may see it; anyone else
    on call learns its number (and may ask a manager or the security team)."""
    incident = page.incident
    if page.user_id is None or may_see(page.user, incident):
        return incident.title
    return CONFIDENTIAL_TITLE


def _target(page: Page) -> str:
    """The clear address or Apprise URL (decrypted on read); never logged."""
    if page.contact_method is not None:
        return page.contact_method.target
    if page.kind != "email":
        raise DeliveryRefused(_("The contact method was removed before the page went out."))
    return page.user.email


def _send_mail(page: Page) -> str:
    """The page in the paged person's language and time zone."""
    with reading_as(page.user):
        return _send_mail_now(page)


def _send_mail_now(page: Page) -> str:
    incident = page.incident
    context = {
        "incident": incident,
        "number": incident.number,
        "title": _title_for(page),
        "staff": True,
        "page": page,
        "link": absolute(incident.get_admin_url()),
        "ack_url": ack_url(page.pk),
        "reason": _("You receive this because you were paged: %(reason)s.")
        % {"reason": page.reason},
    }
    message = make_message(
        "page", to=_target(page), context=context, thread=thread_id(incident.number)
    )
    message.extra_headers["X-Priority"] = "1" if incident.priority in ("P1", "P2") else "3"
    message.send()
    return message.extra_headers["Message-ID"]


def _failed(page: Page, error: str, *, transient: bool) -> bool:
    if transient and page.attempts < MAX_ATTEMPTS:
        due = timezone.now() + timedelta(seconds=backoff(page.attempts))
        _finish(page, status=PageStatus.PENDING, due_at=due, last_error=error[:500])
    else:
        _finish(page, status=PageStatus.FAILED, last_error=error[:500])
    return False


def _finish(page: Page, **fields) -> None:
    Page.objects.filter(pk=page.pk).exclude(status=PageStatus.SENT).update(**fields)


def reclaim_lapsed(now=None) -> int:
    """Fail pages whose worker died on every attempt (the rest are claimable again)."""
    now = now or timezone.now()
    lapsed = Page.objects.filter(
        status=PageStatus.SENDING, claimed_at__lt=expired_before(now), attempts__gte=MAX_ATTEMPTS
    )
    return lapsed.update(
        status=PageStatus.FAILED,
        last_error=f"Sending was interrupted {MAX_ATTEMPTS} times; gave up.",
    )
