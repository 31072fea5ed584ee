"""Writes of monitoring intake: integrations and their tokens, alert intake, heartbeats,
quiet-period resolution and maintenance windows.

Intake functions are one transaction each, committed before the endpoint answers 2xx, so
an accepted alert is stored. Incidents are created, acknowledged and resolved only through
`incidents.services` (see `integrations.intake`), as the integration's service user.
"""

import hashlib
import secrets
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from incidents.models import Incident
from integrations import intake
from integrations.choices import KEY_HEARTBEAT, AlertStatus, Kind
from integrations.models import Alert, AlertGroup, Heartbeat, Integration, MaintenanceWindow
from integrations.parsing import (
    IncomingAlert,
    IncomingEvent,
    IncomingGroup,
    group_alertmanager,
    group_event,
    note_replaced,
    parse_alertmanager,
)

# A delivery waiting this long for a lock answers 503 (the sender retries) instead of
# piling up workers behind a hot alert group.
LOCK_TIMEOUT = "5s"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_token(integration: Integration) -> str:
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
