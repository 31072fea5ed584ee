"""Writes of the status page: the uptime rollup, subscriptions and the mails to
subscribers. Incidents themselves are never written here."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.core import signing
from django.db import transaction
from django.utils import timezone

from incidents.choices import OPEN_STATUSES, OUTAGE_PRIORITIES
from incidents.exceptions import DomainError
from statuspage import selectors
from statuspage.models import DailyUptime, MailStatus, StatusMail, Subscriber
from statuspage.uptime import Span, daily_minutes, day_bounds

logger = logging.getLogger(__name__)
CONFIRM_SALT = "statuspage.subscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


# --- Uptime rollup ----------------------------------------------------------------------------


def _span(row, now: datetime) -> Span | None:
    service_id, opened_at, resolved_at, closed_at, status, major, priority = row
    end = now if status in OPEN_STATUSES else (resolved_at or closed_at or now)
    outage = major or priority in OUTAGE_PRIORITIES
    return Span(service_id, opened_at, min(end, now), outage) if end > opened_at else None


@transaction.atomic
def uptime_refresh(*, first_day: date, last_day: date, now: datetime | None = None) -> int:
    """Recompute the rollup rows of every active service for first_day..last_day (page time
    zone) from the incidents overlapping them; returns the rows written. Idempotent."""
    now, zone = now or timezone.now(), selectors.page_zone()
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    start, end = day_bounds(days[0], zone)[0], day_bounds(days[-1], zone)[1]
    spans = [s for row in selectors.uptime_spans(start, end) if (s := _span(row, now))]
    minutes = daily_minutes(spans, days, zone)
    services = selectors.Service.objects.filter(active=True).values_list("pk", flat=True)
    rows = [
        DailyUptime(
            service_id=service_id,
            day=day,
            outage_minutes=minutes.get((service_id, day), (0, 0))[0],
            degraded_minutes=minutes.get((service_id, day), (0, 0))[1],
            computed_at=now,
        )
        for service_id in services
        for day in days
    ]
    DailyUptime.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["service", "day"],
        update_fields=["outage_minutes", "degraded_minutes", "computed_at"],
    )
    return len(rows)


def uptime_refresh_since(opened_at: datetime, now: datetime | None = None) -> int:
    """Refresh from the day `opened_at` falls on (at most UPTIME_DAYS back) to today."""
    now, zone = now or timezone.now(), selectors.page_zone()
    today = timezone.localtime(now, zone).date()
    first = max(timezone.localtime(opened_at, zone).date(), selectors.uptime_days(today)[0])
    return uptime_refresh(first_day=min(first, today), last_day=today, now=now)


# --- Subscriptions ----------------------------------------------------------------------------


def confirmation_code(subscriber: Subscriber, *, all_services: bool, service_ids: list[int]):
    """The signed part of a confirmation link: whose, and which services they asked for."""
    payload = {"t": subscriber.token, "all": all_services, "s": sorted(service_ids)}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def read_confirmation(code: str) -> dict:
    """The payload of a confirmation link, or DomainError when forged or expired."""
    try:
        return signing.loads(code, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise DomainError(_msg("expired")) from exc
    except signing.BadSignature as exc:
        raise DomainError(_msg("bad")) from exc


def _msg(which: str) -> str:
    from django.utils.translation import gettext as _

    if which == "expired":
        return _("This confirmation link has expired. Please subscribe again.")
    return _("This confirmation link is not valid. Please subscribe again.")


@transaction.atomic
def subscriber_subscribe(
    *, email: str, all_services: bool, services: list, language: str = ""
) -> Subscriber:
    """Start a subscription: create the subscriber if new (unconfirmed) and mail them a
    signed confirmation link that carries the services chosen. Nothing is changed for an
    address already confirmed until its owner follows the new link, so nobody can change
    someone else's subscription. `language` (the page's) is what the mails are written in.
    Enqueues the confirmation mail on commit."""
    subscriber, _created = Subscriber.objects.get_or_create(email=email.strip().lower())
    if subscriber.confirmed_at is None:
        subscriber.all_services = all_services
        subscriber.language = language
        subscriber.save(update_fields=["all_services", "language"])
        subscriber.services.set(services)
    code = confirmation_code(
        subscriber, all_services=all_services, service_ids=[s.pk for s in services]
    )
    names = sorted(s.name for s in services)
    context = {"confirm_path": f"/status/subscribe/confirm/{code}/", "all": all_services}
    context["services"] = names
    mail = StatusMail.objects.create(
        key=f"confirm:{timezone.now().isoformat()}",
        subscriber=subscriber,
        template="status-confirm",
        context=context,
    )
    transaction.on_commit(partial(enqueue, [mail.pk]), robust=True)
    return subscriber


@transaction.atomic
def subscriber_confirm(*, code: str) -> Subscriber:
    """Confirm a subscription from its signed link, applying the services it carries."""
    payload = read_confirmation(code)
    subscriber = Subscriber.objects.select_for_update().filter(token=payload["t"]).first()
    if subscriber is None:
        raise DomainError(_msg("bad"))
    subscriber.all_services = bool(payload["all"])
    subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
    subscriber.save(update_fields=["all_services", "confirmed_at"])
    active = selectors.Service.objects.filter(active=True, pk__in=payload["s"])
    subscriber.services.set(active)
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> bool:
    """Forget the subscriber with this token (and their mail rows); False when none."""
    deleted, _ = Subscriber.objects.filter(token=token).delete()
    return bool(deleted)


# --- Mails to subscribers --------------------------------------------------------------------


@dataclass(frozen=True)
class MailSpec:
    """One mail to every confirmed subscriber concerned: all-services subscribers and
    those of `service_id` (None: the all-services ones only), once per key."""

    key: str
    template: str
    context: dict
    service_id: int | None


def audiences(service_ids) -> dict[int | None, set[int]]:
    """The confirmed subscribers of each service id (all-services subscribers included),
    in two queries whatever the number of services."""
    confirmed = Subscriber.objects.filter(confirmed_at__isnull=False)
    everyone = set(confirmed.filter(all_services=True).values_list("pk", flat=True))
    found = {pk: set(everyone) for pk in service_ids}
    wanted = {pk for pk in service_ids if pk}
    if wanted:
        links = Subscriber.services.through.objects.filter(
            service_id__in=wanted, subscriber__confirmed_at__isnull=False
        )
        for service_id, subscriber_id in links.values_list("service_id", "subscriber_id"):
            found[service_id].add(subscriber_id)
    return found


def mails_create(*, key: str, template: str, context: dict, service_id: int | None) -> list[int]:
    """One mail row per confirmed subscriber concerned, once per key and subscriber
    whatever the number of calls; returns the ids of rows still waiting to be sent."""
    return mails_create_many([MailSpec(key, template, context, service_id)])


def mails_create_many(mails: list[MailSpec]) -> list[int]:
    """`mails_create` for several mails (a batch of events) in a constant number of
    queries: the audiences, one bulk insert, the rows still waiting."""
    if not mails:
        return []
    subscribers = audiences({mail.service_id for mail in mails})
    rows = [
        StatusMail(key=mail.key, subscriber_id=pk, template=mail.template, context=mail.context)
        for mail in mails
        for pk in sorted(subscribers[mail.service_id])
    ]
    StatusMail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    pending = StatusMail.objects.filter(key__in={mail.key for mail in mails})
    return list(pending.filter(status=MailStatus.PENDING).values_list("pk", flat=True))


BATCH = 50


def enqueue(ids: list[int]) -> None:
    """Publish send tasks in batches; a broker failure leaves rows for the sweep."""
    from statuspage.tasks import send_status_mails

    for index in range(0, len(ids), BATCH):
        try:
            send_status_mails.delay(ids[index : index + BATCH])
        except Exception:  # broker down: several error types; the sweep publishes later
            logger.warning("Broker unavailable; status mails wait for the sweep", exc_info=True)
            return


def enqueue_on_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(partial(enqueue, ids), robust=True)


# --- Maintenance announcements ---------------------------------------------------------------

MAINTENANCE_STEPS = {
    "scheduled": ("announced", "status-maintenance-announced"),
    "in_progress": ("started", "status-maintenance-started"),
    "completed": ("completed", "status-maintenance-completed"),
}
# A window that ended longer ago than this is history: no mail about it any more.
COMPLETED_MAIL_WINDOW = timedelta(hours=1)


def maintenance_mails(*, now: datetime | None = None) -> list[int]:
    """Mail rows for public maintenance: announced while upcoming, started, completed.
    Run every minute and whenever a window is saved; each step mails once per window and
    subscriber. Returns the ids of rows still to send."""
    now = now or timezone.now()
    windows = selectors.public_maintenance().filter(ends_at__gt=now - COMPLETED_MAIL_WINDOW)
    waiting = []
    for window in windows:
        step, template = MAINTENANCE_STEPS[selectors.maintenance_state(window, now)]
        context = {
            "title": window.title or window.service.name,
            "service": window.service.name,
            "description": window.description,
            "starts_at": window.starts_at.isoformat(),
            "ends_at": window.ends_at.isoformat(),
            "month": timezone.localtime(window.starts_at, selectors.page_zone()).strftime("%Y-%m"),
        }
        waiting += mails_create(
            key=f"maintenance:{window.pk}:{step}",
            template=template,
            context=context,
            service_id=window.service_id,
        )
    return waiting


def maintenance_changed(window_id: int | None = None) -> None:
    """A window was saved (called on commit by integrations.services): the pages show it
    at once and an announcement goes out in the background."""
    from statuspage import cache
    from statuspage.tasks import check_maintenance

    cache.status_changed()
    try:
        check_maintenance.delay()
    except Exception:  # broker down: the beat task announces it within a minute
        logger.warning("Broker unavailable; maintenance mail waits for beat", exc_info=True)
