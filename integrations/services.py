"""Writes of monitoring intake: integrations and their tokens, the delivery inbox, alert
intake, heartbeats, quiet-period resolution and maintenance windows.

An endpoint stores an accepted delivery (`delivery_accept`, committed before it answers 2xx)
and the single drainer applies it (`deliveries_drain`, see `integrations.inbox`) through the
intake functions, one transaction each. Incidents are created, acknowledged and resolved
only through `incidents.services` (see `integrations.intake`), as the integration's service
user.
"""

import functools
import hashlib
import logging
import secrets
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import DataError, connection, transaction
from django.db.models import F
from django.utils import timezone

from incidents.exceptions import DomainError
from incidents.models import Incident
from integrations import inbox, intake
from integrations.choices import KEY_HEARTBEAT, AlertStatus, Kind
from integrations.models import (
    Alert,
    AlertGroup,
    Delivery,
    Heartbeat,
    Integration,
    MaintenanceWindow,
)
from integrations.parsing import (
    IncomingAlert,
    IncomingEvent,
    IncomingGroup,
    PayloadError,
    group_alertmanager,
    group_event,
    note_replaced,
    parse_alertmanager,
    parse_event,
)

logger = logging.getLogger(__name__)

# A delivery waiting this long for a lock answers 503 (the sender retries) instead of
# piling up workers behind a hot alert group.
LOCK_TIMEOUT = "5s"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_token(integration: Integration) -> str:
    # The cached lookup of the old token is forgotten with it (integrations.selectors).
    integration.previous_token_digest = integration.token_digest
    token = secrets.token_urlsafe(32)
    integration.token_digest, integration.token_prefix = token_digest(token), token[:6]
    return token


def _service_user(name: str):
    """An inactive account with no usable password: history names it, nobody logs in."""
    user = get_user_model()(
        username=f"integration-{uuid.uuid4().hex[:12]}",
        first_name=f"Monitoring: {name}"[:150],
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def integration_register(*, integration: Integration) -> str:
    """Save a new integration with its service user and a fresh token; returns the token,
    which is not stored and cannot be shown again."""
    token = _issue_token(integration)
    integration.service_user = _service_user(integration.name)
    integration.save()
    Heartbeat.objects.create(integration=integration)
    return token


def integration_create(
    *, kind: str, name: str, default_service=None, default_team=None, **options
) -> tuple[Integration, str]:
    """Create an integration (command line, tests); returns it and its secret token."""
    integration = Integration(
        kind=Kind(kind),
        name=name,
        default_service=default_service,
        default_team=default_team,
        **options,
    )
    integration.full_clean(exclude=["token_digest", "token_prefix", "service_user"])
    return integration, integration_register(integration=integration)


@transaction.atomic
def integration_rotate_token(*, integration: Integration) -> str:
    """Replace the token; the old one stops working at once."""
    token = _issue_token(integration)
    integration.save(update_fields=["token_digest", "token_prefix"])
    return token


@contextmanager
def _intake_transaction():
    """One atomic block with a bounded lock wait on PostgreSQL."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        yield


REFUSAL_REASON_MAX = 2000


def integration_refusal_record(*, integration: Integration, reason: str) -> None:
    """Count a delivery refused because it can never be stored (4xx: the sender drops it)
    and keep why, for managers on the integration's page. One UPDATE, race-free."""
    Integration.objects.filter(pk=integration.pk).update(
        refused_count=F("refused_count") + 1,
        last_refused_at=timezone.now(),
        last_refused_reason=reason[:REFUSAL_REASON_MAX],
    )


def alertmanager_intake(
    *, integration: Integration, data: dict, replaced: list[str] = ()
) -> list[AlertGroup]:
    """Store one Alertmanager webhook delivery: its alerts, under one group per `groupKey`
    (or per grouping-rule value), opening or resolving incidents as the groups change.
    `replaced` names the fields whose unstorable characters the door replaced."""
    alerts, context = parse_alertmanager(data)
    groups = group_alertmanager(alerts, context, integration.grouping_rule)
    note_replaced(groups, list(replaced))
    now = timezone.now()
    touched = []
    with _intake_transaction():
        for incoming in sorted(groups, key=lambda g: g.key):  # fixed lock order
            group = intake.ingest(integration=integration, incoming=incoming, now=now)
            if group is not None:
                touched.append(group)
    return touched


def event_intake(
    *, integration: Integration, event: IncomingEvent, replaced: list[str] = ()
) -> Incident | None:
    """Apply one events-API event. A trigger is stored and grouped; acknowledge and resolve
    act on the open group holding the dedup_key, and change nothing when there is none.
    `replaced` names the fields whose unstorable characters the door replaced."""
    now = timezone.now()
    with _intake_transaction():
        if event.action == "trigger":
            incoming = group_event(event, integration.grouping_rule)
            note_replaced([incoming], list(replaced))
            group = intake.ingest(integration=integration, incoming=incoming, now=now)
            return group.incident
        group = _group_holding(integration, event.dedup_key)
        if group is None:
            return None
        if event.action == "acknowledge":
            intake.acknowledge_group(group)
        else:
            resolved = IncomingAlert(fingerprint=event.dedup_key, status=AlertStatus.RESOLVED)
            incoming = IncomingGroup(group.key, group.title, "", [resolved])
            intake.ingest(integration=integration, incoming=incoming, now=now)
        return Incident.objects.filter(pk=group.incident_id).first()


def _group_holding(integration: Integration, dedup_key: str) -> AlertGroup | None:
    alert = (
        Alert.objects.filter(
            group__integration=integration, group__open=True, fingerprint=dedup_key
        )
        .only("group_id")
        .first()
    )
    if alert is None:
        return None
    group = AlertGroup.objects.select_for_update().filter(pk=alert.group_id, open=True).first()
    if group is not None:
        group.integration = integration
    return group


def _heartbeat_group(integration: Integration, status: str) -> IncomingGroup:
    minutes = integration.heartbeat_interval_minutes
    alert = IncomingAlert(
        fingerprint="heartbeat",
        status=status,
        labels={"alertname": "HeartbeatMissing", "severity": "error"},
        annotations={"summary": f"No heartbeat from {integration.name} for {minutes} minutes"},
    )
    title = f"No heartbeat from {integration.name}"[:200]
    description = (
        f"{integration.name} is expected to send a heartbeat every {minutes} minutes and has "
        "not. Its alerts may not be reaching us."
    )
    return IncomingGroup(KEY_HEARTBEAT, title, description, [alert])


def heartbeat_receive(*, integration: Integration) -> None:
    """Record that the integration is alive; resolves its missing-heartbeat incident."""
    now = timezone.now()
    with _intake_transaction():
        Heartbeat.objects.update_or_create(integration=integration, defaults={"last_seen_at": now})
        if AlertGroup.objects.filter(
            integration=integration, key=KEY_HEARTBEAT, open=True
        ).exists():
            incoming = _heartbeat_group(integration, AlertStatus.RESOLVED)
            intake.ingest(integration=integration, incoming=incoming, now=now, force_resolve=True)


def heartbeats_check(now=None) -> int:
    """Open an incident for each integration silent for longer than its heartbeat interval
    (counted from its creation until the first heartbeat). Safe to run twice at once: the
    open-group index lets one run open it; the other finds it open and does nothing."""
    now = now or timezone.now()
    opened = 0
    expecting = Integration.objects.filter(active=True, heartbeat_interval_minutes__gt=0)
    for integration in expecting.select_related("heartbeat", "service_user"):
        beat = getattr(integration, "heartbeat", None)
        last = (beat and beat.last_seen_at) or integration.created_at
        if now - last <= timedelta(minutes=integration.heartbeat_interval_minutes):
            continue
        with _intake_transaction():
            if intake.locked_open_group(integration, KEY_HEARTBEAT) is not None:
                continue
            incoming = _heartbeat_group(integration, AlertStatus.FIRING)
            intake.ingest(integration=integration, incoming=incoming, now=now)
            opened += 1
    return opened


def quiet_groups_resolve(now=None) -> int:
    """Resolve groups whose alerts have not fired for their integration's quiet period
    (sources that never send `resolved`). Each group is re-read under lock and checked
    again, so two runs at once resolve it once."""
    now = now or timezone.now()
    resolved = 0
    candidates = AlertGroup.objects.filter(
        open=True, integration__quiet_period_minutes__gt=0
    ).select_related("integration")
    for candidate in candidates.exclude(key=KEY_HEARTBEAT):
        minutes = candidate.integration.quiet_period_minutes
        with _intake_transaction():
            group = (
                AlertGroup.objects.select_for_update(of=("self",))
                .select_related("integration__service_user")
                .filter(
                    pk=candidate.pk, open=True, last_fired_at__lt=now - timedelta(minutes=minutes)
                )
                .first()
            )
            if group is None:
                continue
            group.alerts.filter(status=AlertStatus.FIRING).update(
                status=AlertStatus.RESOLVED, resolved_at=now
            )
            intake.close_group(group, now, resolve=False)
            intake.resolve_incident(group, f"no alert fired for {minutes} minutes")
            resolved += 1
    return resolved


@transaction.atomic
def maintenance_window_save(*, window: MaintenanceWindow, actor) -> MaintenanceWindow:
    """Schedule or change a window; alerts on its service inside it open no incident."""
    window.full_clean()
    if window.created_by_id is None:
        window.created_by = actor
    window.save()
    transaction.on_commit(_status_page_changed, robust=True)
    return window


def _status_page_changed() -> None:
    from statuspage.services import maintenance_changed

    maintenance_changed()


def new_dedup_key() -> str:
    return uuid.uuid4().hex


def delivery_accept(
    *, integration: Integration, kind: str, payload: dict, replaced: list[str]
) -> None:
    """Store a validated delivery for the drainer: one INSERT, committed before the endpoint
    answers. Kicks the drain after commit (never fails: see `integrations.inbox.kick`)."""
    _insert_delivery(
        Delivery(
            integration_id=integration.pk,
            kind=kind,
            payload=payload,
            replaced=list(replaced),
            received_at=timezone.now(),
        )
    )
    transaction.on_commit(inbox.kick)


_INSERTED = [
    "integration",
    "kind",
    "payload",
    "replaced",
    "received_at",
    "processed_at",
    "attempts",
    "last_error",
    "failed",
]


def _insert_delivery(delivery: Delivery) -> None:
    """The INSERT of `objects.create` without the model layer's bookkeeping (signals, the
    returned id): the hot path of every monitoring request, at half the CPU. Identifiers
    come from the model's own metadata; every value is a parameter."""
    fields, sql = _delivery_insert(connection.vendor)
    params = [f.get_db_prep_save(getattr(delivery, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@functools.cache
def _delivery_insert(vendor: str) -> tuple[list, str]:
    """The fields and the statement of `_insert_delivery`, made once per database vendor."""
    fields = [Delivery._meta.get_field(name) for name in _INSERTED]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = (
        f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    return fields, sql


def delivery_process(*, delivery: Delivery) -> None:
    """Apply one stored delivery through the intake functions, as if it had just arrived."""
    integration, replaced = delivery.integration, delivery.replaced
    if delivery.kind == Kind.ALERTMANAGER:
        alertmanager_intake(integration=integration, data=delivery.payload, replaced=replaced)
        return
    event = parse_event(delivery.payload, new_key=new_dedup_key)
    event_intake(integration=integration, event=event, replaced=replaced)


DRAIN_BATCH = 100  # deliveries per transaction (and per hold of the drain lock)
DRAIN_SECONDS = 20  # then the task hands over to a fresh one, so no task runs for ever
MAX_ATTEMPTS = 5  # transient failures of one delivery before it is given up as failed
# Failures no retry will cure: the delivery is marked failed and counted as a refusal.
PERMANENT = (DataError, PayloadError, DomainError)


@dataclass
class Drained:
    """What a drain did, and what its task should do next."""

    processed: int = 0
    failed: int = 0
    busy: bool = False  # another drainer holds the inbox: try again shortly
    stalled: int = 0  # attempts of the delivery that failed transiently (0: none)
    more: bool = False  # stopped at the deadline with deliveries still waiting


def deliveries_drain(*, limit: int = DRAIN_BATCH, seconds: float = DRAIN_SECONDS) -> Drained:
    """Apply waiting deliveries oldest first, a batch per transaction under the drain lock,
    each delivery in its own savepoint; processed ones are deleted. A delivery failing for
    good is marked failed with its reason and counted on its integration. A transient
    failure stops the drain there (order matters), counting an attempt; after MAX_ATTEMPTS
    the delivery is marked failed so it cannot hold up the others for ever."""
    drained, deadline = Drained(), time.monotonic() + seconds
    while _drain_batch(limit, drained):
        if time.monotonic() > deadline:
            drained.more = True
            break
    return drained


def _drain_batch(limit: int, drained: Drained) -> bool:
    """One batch; returns whether more deliveries may be waiting."""
    stalled = None
    with inbox.drain_lock() as held:
        if not held:
            drained.busy = True
            return False
        waiting = Delivery.objects.waiting().select_related(
            "integration__service_user",
            "integration__default_service",
            "integration__default_team",
        )
        batch, done = list(waiting[:limit]), []
        for delivery in batch:
            try:
                with transaction.atomic():
                    delivery_process(delivery=delivery)
                done.append(delivery.pk)
            except PERMANENT as error:
                _delivery_fail(delivery, _reason(error))
                drained.failed += 1
            except Exception as error:  # anything else may pass: retry later, in order
                stalled = (delivery, error)
                break
        Delivery.objects.filter(pk__in=done).delete()
        drained.processed += len(done)
    if stalled is None:
        return len(batch) == limit
    attempts = _delivery_attempt_failed(*stalled)
    if attempts < MAX_ATTEMPTS:
        drained.stalled = attempts
        return False
    drained.failed += 1  # given up: the deliveries behind it go on
    return True


def _reason(error: Exception) -> str:
    if isinstance(error, PayloadError):
        return "; ".join(error.errors)
    if isinstance(error, DataError):
        return f"A value of this payload cannot be stored. {error}".strip()
    return str(getattr(error, "message", "") or error)


def _delivery_fail(delivery: Delivery, reason: str) -> None:
    """Give a delivery up: kept for managers with its reason, counted on its integration
    as a refusal (what answering 422 or 400 did before deliveries were queued)."""
    Delivery.objects.filter(pk=delivery.pk).update(
        failed=True, processed_at=timezone.now(), last_error=reason[:REFUSAL_REASON_MAX]
    )
    integration_refusal_record(integration=delivery.integration, reason=reason)
    logger.warning("Monitoring delivery %s failed for good: %s", delivery.pk, reason)


def _delivery_attempt_failed(delivery: Delivery, error: Exception) -> int:
    """Count a transient failure; the MAX_ATTEMPTS-th gives the delivery up. Returns the
    attempts so far."""
    attempts = delivery.attempts + 1
    logger.error("Delivery %s failed (attempt %s)", delivery.pk, attempts, exc_info=error)
    reason = f"{type(error).__name__}: {error}"[:REFUSAL_REASON_MAX]
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(attempts=attempts, last_error=reason)
        if attempts >= MAX_ATTEMPTS:
            _delivery_fail(delivery, f"Gave up after {attempts} attempts. {reason}")
    return attempts


def deliveries_waiting_since():
    """When the oldest waiting delivery was received (None: nothing waits)."""
    return Delivery.objects.waiting().values_list("received_at", flat=True).first()
