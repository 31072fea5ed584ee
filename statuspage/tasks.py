"""Celery tasks of the status page. They take ids, claim rows, and are safe to run twice."""

import logging
from datetime import timedelta

from celery import shared_task

from itsm.celery import capped_countdown

logger = logging.getLogger(__name__)


@shared_task
def refresh_uptime() -> int:
    """Every few minutes (beat): recompute yesterday's and today's uptime rows, so open
    incidents keep counting and a day is final once it is over; all 90 days when the oldest
    has no rows yet (first run after installing). Drops the cached pages."""
    from django.utils import timezone

    from statuspage import cache, selectors, services
    from statuspage.models import DailyUptime

    today = timezone.localtime(timezone.now(), selectors.page_zone()).date()
    first = today - timedelta(days=1)
    oldest = selectors.uptime_days(today)[0]
    if not DailyUptime.objects.filter(day=oldest).exists():
        first = oldest  # a new installation (or one that was off): fill all 90 days once
    written = services.uptime_refresh(first_day=first, last_day=today)
    cache.status_changed()
    return written


@shared_task
def check_maintenance() -> int:
    """Every minute (beat): announce, start and complete public maintenance by mail, and
    re-publish status mails that never reached a worker or whose worker died."""
    from django.utils import timezone

    from statuspage import cache, services
    from statuspage.models import MailStatus, StatusMail

    ids = services.maintenance_mails()
    # A worker killed mid-send leaves its rows SENDING: after ten minutes they go out again
    # (at least once; the one in flight at the kill may arrive twice).
    lapsed = StatusMail.objects.filter(
        status=MailStatus.SENDING, sent_at__lt=timezone.now() - timedelta(minutes=10)
    )
    revived = list(lapsed.values_list("pk", flat=True)[:500])
    StatusMail.objects.filter(pk__in=revived, status=MailStatus.SENDING).update(
        status=MailStatus.PENDING
    )
    ids += revived
    stale = StatusMail.objects.filter(
        status=MailStatus.PENDING, created_at__lt=timezone.now() - timedelta(minutes=1)
    )
    ids = sorted(set(ids) | set(stale.values_list("pk", flat=True)[:500]))
    if ids:
        cache.status_changed()  # a window started or ended: the page shows it
    services.enqueue(ids)
    return len(ids)


@shared_task(bind=True, max_retries=6, acks_late=True)
def send_status_mails(self, mail_ids: list[int]) -> int:
    """Send one batch over one SMTP connection; rows already claimed or sent are skipped.
    Rows that hit a transient error go back to PENDING and the task retries."""
    from itsm.retries import backoff
    from statuspage.delivery import deliver

    sent, retry = deliver(mail_ids)
    if retry:
        raise self.retry(
            args=[retry], countdown=capped_countdown(backoff(self.request.retries + 1))
        )
    return sent
