"""Writes of the notifications app: notification rows, their delivery queue, preferences.

Rows are created from an event by `notifications_create` (idempotent: unique per event and
address) and handed to Celery in batches after commit by `delivery_enqueue`. Publishing
never raises: a batch the broker did not take stays PENDING and `notifications_sweep`
hands it over again.
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from incidents.models import IncidentEvent, Service
from itsm.leases import expired_before
from itsm.retries import MAX_ATTEMPTS
from notifications.models import DeliveryStatus, Notification, NotificationPreference
from notifications.recipients import recipients_for_events

logger = logging.getLogger(__name__)

BATCH_SIZE = 100  # messages per task, sent over one SMTP connection
SWEEP_GRACE = timedelta(minutes=2)  # a PENDING row this late was never handed over


def template_for(kind: str) -> str:
    return kind.replace("_", "-")


@transaction.atomic
def notifications_create(*, event: IncidentEvent) -> list[int]:
    """Create one PENDING row per recipient of `event` (nothing twice) and return the ids
    of the event's rows still waiting to be sent."""
    return notifications_create_many(events=[event])


@transaction.atomic
def notifications_create_many(*, events: list[IncidentEvent]) -> list[int]:
    """The same for a batch of events: one bulk insert for all their rows, and the ids of
    every row of theirs still waiting to be sent."""
    now = timezone.now()
    recipients = recipients_for_events(events)
    rows = [
        Notification(
            event=event,
            incident_id=event.incident_id,
            recipient_id=recipient.user_id,
            address=recipient.address,
            role=recipient.role,
            staff=recipient.staff,
            template=template_for(event.kind),
            due_at=now,
            created_at=now,
        )
        for event in events
        for recipient in recipients[event.pk]
    ]
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    pending = Notification.objects.filter(event__in=events, status=DeliveryStatus.PENDING)
    return list(pending.order_by("pk").values_list("pk", flat=True))


def delivery_enqueue(notification_ids: list[int], batch_size: int | None = None) -> None:
    """After commit, publish one send task per batch of ids."""
    size = batch_size or BATCH_SIZE
    for start in range(0, len(notification_ids), size):
        batch = list(notification_ids[start : start + size])
        transaction.on_commit(partial(_publish, batch), robust=True)


def _publish(notification_ids: list[int]) -> None:
    from notifications.tasks import send_notifications

    try:
        send_notifications.delay(notification_ids)
    except Exception:  # broker down: kombu raises several types; the sweep retries
        logger.warning("Broker unavailable; %d notifications wait", len(notification_ids))


def notifications_reclaim(*, now=None, limit: int = 5000) -> list[int]:
    """SENDING rows whose claim lease lapsed lost their worker: put them back to PENDING
    (or fail them after MAX_ATTEMPTS) and return their ids, to be published again at once.
    Safe to run twice at once: sending claims rows before acting."""
    lapsed = Notification.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=expired_before(now)
    )
    lapsed.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=DeliveryStatus.FAILED,
        error=f"Delivery was interrupted {MAX_ATTEMPTS} times; gave up.",
    )
    ids = list(lapsed.order_by("pk").values_list("pk", flat=True)[:limit])
    lapsed.filter(pk__in=ids).update(status=DeliveryStatus.PENDING)
    return ids


def notifications_sweep(*, now=None, limit: int = 5000) -> list[int]:
    """Find work nobody is doing: rows of a dead worker (`notifications_reclaim`) and
    PENDING rows past their due time; returns their ids to be published again."""
    now = now or timezone.now()
    reclaimed = notifications_reclaim(now=now, limit=limit)
    waiting = Notification.objects.filter(
        status=DeliveryStatus.PENDING, due_at__lte=now - SWEEP_GRACE
    ).exclude(pk__in=reclaimed)
    return reclaimed + list(waiting.order_by("due_at", "pk").values_list("pk", flat=True)[:limit])


@transaction.atomic
def notifications_retry(*, notification_ids) -> int:
    """Send failed notifications again (admin action): reset and enqueue after commit."""
    failed = Notification.objects.filter(pk__in=notification_ids, status=DeliveryStatus.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    failed.update(status=DeliveryStatus.PENDING, attempts=0, due_at=timezone.now(), error="")
    delivery_enqueue(ids)
    return len(ids)


def preference_of(user) -> NotificationPreference:
    """`user`'s choices, or the defaults (unsaved) when they never made any."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


@transaction.atomic
def preferences_save(
    *, user, receive_updates: bool, services, own_actions: bool | None = None
) -> None:
    """Store whether `user` hears non-essential updates and about their own changes
    (`own_actions` None keeps that choice), and which services they follow."""
    choices = {"receive_updates": receive_updates}
    if own_actions is not None:
        choices["own_actions"] = own_actions
    NotificationPreference.objects.update_or_create(user=user, defaults=choices)
    wanted = {service.pk for service in services}
    current = set(user.subscribed_services.values_list("pk", flat=True))
    user.subscribed_services.remove(*(current - wanted))
    user.subscribed_services.add(*(wanted - current))


@transaction.atomic
def service_subscribe(*, user, service: Service, subscribe: bool = True) -> None:
    """Follow (or stop following) one service: hear about its major incidents."""
    if subscribe:
        service.subscribers.add(user)
    else:
        service.subscribers.remove(user)
