"""The grouping engine: alerts in, at most one open incident per key out.

`ingest` runs inside the caller's transaction. It holds the row lock of the key's open
`AlertGroup` for the rest of the transaction, so deliveries for one key are serialised and
each sees the other's alerts. Creating a group relies on the partial unique index (one open
group per integration and key): of two simultaneous first deliveries one inserts, the other
gets IntegrityError, re-reads and attaches (race-free grouping, not check-then-insert).
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from incidents import services as incident_services
from incidents import workflow
from incidents.cached import cached, forget
from incidents.catalog_cache import active_services
from incidents.choices import OPEN_STATUSES, Channel
from incidents.exceptions import InvalidTransition
from incidents.models import Incident, Service
from incidents.services._common import reason_text
from integrations.choices import AlertStatus
from integrations.models import Alert, AlertGroup, Integration, MaintenanceWindow
from integrations.parsing import IncomingAlert, IncomingGroup

AUTO_RESOLVE_NOTE = "auto-resolved by monitoring"
FRESH = timedelta(minutes=1)
# Versioned: a deploy that changes what is cached does not read the previous shape.
MAINTENANCE_KEY = "integrations:maintenance-not-ended:v1"


def ingest(
    *, integration: Integration, incoming: IncomingGroup, now, force_resolve: bool = False
) -> AlertGroup | None:
    """Store the alerts under their group, open the group's incident on the first firing
    (unless the service is in maintenance) and close the group once none fires; the
    incident is then resolved when auto-resolve is on (or `force_resolve`). Returns the
    group, or None for resolved alerts of a key with nothing open (nothing to change)."""
    firing = any(alert.firing for alert in incoming.alerts)
    group = _group_for(integration, incoming, now, firing)
    if group is None:
        return None
    _store_alerts(group, incoming.alerts, now)
    if firing:
        _fired(group, incoming, now)
    if not firing and not group.alerts.filter(status=AlertStatus.FIRING).exists():
        close_group(group, now, resolve=force_resolve or integration.auto_resolve)
    return group


def _fired(group: AlertGroup, incoming: IncomingGroup, now) -> None:
    """Open the incident if the group has none; note when it last fired. A re-send within
    a minute skips that write: the quiet period counts in minutes."""
    before = (group.incident_id, group.suppressed)
    if group.incident_id is None:
        _raise_incident(group, incoming, now)
    if (group.incident_id, group.suppressed) != before or now - group.last_fired_at >= FRESH:
        group.last_fired_at = now
        group.save(update_fields=["last_fired_at", "incident", "suppressed"])


def _group_for(integration, incoming: IncomingGroup, now, firing: bool) -> AlertGroup | None:
    group = locked_open_group(integration, incoming.key)
    if group is not None:
        group.integration = integration
    if group is not None and firing and _incident_finished(group):
        # A responder resolved or closed it by hand: this firing is a recurrence.
        close_group(group, now, resolve=False)
        group = None
    if group is None and firing:
        group = _create_or_join(integration, incoming, now)
    return group


def locked_open_group(integration, key: str) -> AlertGroup | None:
    return (
        AlertGroup.objects.select_for_update(of=("self",))
        .select_related("incident")
        .filter(integration=integration, key=key, open=True)
        .first()
    )


def _incident_finished(group: AlertGroup) -> bool:
    return group.incident_id is not None and group.incident.status not in OPEN_STATUSES


def _create_or_join(integration, incoming: IncomingGroup, now) -> AlertGroup:
    service = _service_for(integration, incoming.alerts)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return AlertGroup.objects.create(
                    integration=integration,
                    key=incoming.key,
                    title=incoming.title or "Alert",
                    service=service,
                    opened_at=now,
                    last_fired_at=now,
                )
        except IntegrityError:
            # A simultaneous delivery opened it first (its insert held ours until it
            # committed): join it. Should it have closed meanwhile, try again.
            group = locked_open_group(integration, incoming.key)
            if group is not None:
                group.integration = integration
                return group
    raise IntegrityError(f"Could not open or join the alert group {incoming.key!r}.")


def _service_for(integration, alerts: list[IncomingAlert]) -> Service | None:
    """The active service a `service` label names (slug, else the first label's name in
    any case), from the cached snapshot; else the integration's default service."""
    names = [a.labels["service"] for a in alerts if a.labels.get("service")]
    if names:
        name = names[0].upper()
        found = [
            service
            for service in active_services().by_pk.values()
            if service.slug in names or service.name.upper() == name
        ]
        if found:
            return min(found, key=lambda service: service.pk)
    return integration.default_service


_UPSERT_FIELDS = [
    "group",
    "fingerprint",
    "status",
    "labels",
    "annotations",
    "generator_url",
    "starts_at",
    "ends_at",
    "first_seen_at",
    "last_seen_at",
    "resolved_at",
    "count",
]
_UPSERT_BATCH = 500


def _store_alerts(group: AlertGroup, incoming: list[IncomingAlert], now) -> None:
    """New fingerprints are added; known ones only change status, counts and timestamps.
    One INSERT ... ON CONFLICT DO UPDATE per batch (PostgreSQL and SQLite both speak it):
    the hot path of every delivery, and a re-send should cost one statement, not a read
    and a write."""
    alerts = [_new_alert(group, item, now) for item in incoming]
    for start in range(0, len(alerts), _UPSERT_BATCH):
        _upsert(alerts[start : start + _UPSERT_BATCH])


def _upsert(alerts: list[Alert]) -> None:
    fields = [Alert._meta.get_field(name) for name in _UPSERT_FIELDS]
    quote = connection.ops.quote_name
    table = quote(Alert._meta.db_table)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = [f.get_db_prep_save(getattr(a, f.attname), connection) for a in alerts for f in fields]

    def old(column: str) -> str:
        return f"{table}.{quote(column)}"

    def new(column: str) -> str:
        return f"excluded.{quote(column)}"

    # Identifiers come from the model's own metadata; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(alerts))} "
        f"ON CONFLICT ({quote('group_id')}, {quote('fingerprint')}) DO UPDATE SET "
        f"{quote('count')} = {old('count')} + 1, "
        f"{quote('last_seen_at')} = {new('last_seen_at')}, "
        f"{quote('ends_at')} = COALESCE({new('ends_at')}, {old('ends_at')}), "
        f"{quote('resolved_at')} = CASE WHEN {old('status')} = {new('status')} "
        f"THEN {old('resolved_at')} ELSE {new('resolved_at')} END, "
        f"{quote('status')} = {new('status')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _new_alert(group: AlertGroup, item: IncomingAlert, now) -> Alert:
    return Alert(
        group=group,
        fingerprint=item.fingerprint,
        status=item.status,
        labels=item.labels,
        annotations=item.annotations,
        generator_url=item.generator_url,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        first_seen_at=now,
        last_seen_at=now,
        resolved_at=None if item.firing else now,
    )


def in_maintenance(service: Service | None, now) -> bool:
    if service is None:
        return False
    return any(
        service_id == service.pk and starts_at <= now < ends_at
        for service_id, starts_at, ends_at in _windows_not_ended()
    )


def _windows_not_ended() -> list[tuple[int, datetime, datetime]]:
    """(service id, start, end) of every maintenance window that had not ended when read:
    a handful of rows, read by each new alert group, kept in the cache and forgotten when
    a window is saved or deleted (`IntegrationsConfig.ready`). Each use compares with its
    own `now`, so a window that ends meanwhile stops counting on time."""

    def load():
        windows = MaintenanceWindow.objects.filter(ends_at__gt=timezone.now())
        return list(windows.values_list("service_id", "starts_at", "ends_at"))

    return cached(MAINTENANCE_KEY, load)


def forget_maintenance(**kwargs) -> None:
    forget([MAINTENANCE_KEY])


def _raise_incident(group: AlertGroup, incoming: IncomingGroup, now) -> None:
    """Open the group's incident, or join the previous one for this key if it is still
    open (auto-resolve off). During maintenance the group is only marked suppressed."""
    if in_maintenance(group.service, now):
        group.suppressed = True
        return
    group.suppressed = False
    previous = _previous_incident(group)
    if previous is not None and previous.status in OPEN_STATUSES:
        group.incident = previous
        return
    integration = group.integration
    actor = integration.service_user
    group.incident = incident_services.incident_create(
        title=group.title,
        description=incoming.description,
        reporter=actor,
        actor=actor,
        via=Channel.MONITORING,
        priority=_priority(integration, incoming.alerts),
        service=group.service,
        team=integration.default_team,
        confidential=integration.confidential_by_default or None,
        labels=common_labels(incoming.alerts),
        reason=reason_text(
            f"Recurrence of {previous.number}, created by {integration.name}"
            if previous
            else f"Created by {integration.name}",
            Channel.MONITORING,
        ),
        recurrence_of=previous,
    )


def common_labels(alerts: list[IncomingAlert]) -> dict[str, str]:
    """The labels every alert of the group has with the same value (Alertmanager's
    `commonLabels`, also for groups made by a grouping rule or the events API), which
    routing rules match against."""
    if not alerts:
        return {}
    common = dict(alerts[0].labels)
    for alert in alerts[1:]:
        common = {k: v for k, v in common.items() if alert.labels.get(k) == v}
    return common


def _previous_incident(group: AlertGroup) -> Incident | None:
    earlier = (
        AlertGroup.objects.filter(integration=group.integration_id, key=group.key, open=False)
        .exclude(incident=None)
        .select_related("incident")
        .order_by("-closed_at", "-pk")
        .first()
    )
    return earlier.incident if earlier else None


def _priority(integration: Integration, alerts: list[IncomingAlert]) -> str:
    """The most urgent priority among the firing alerts' severities (P1 sorts first)."""
    return min(
        integration.priority_for(alert.labels.get("severity", ""))
        for alert in alerts
        if alert.firing
    )


def close_group(group: AlertGroup, now, *, resolve: bool) -> None:
    group.open, group.closed_at = False, now
    group.save(update_fields=["open", "closed_at"])
    if resolve:
        resolve_incident(group, "all of its alerts resolved")


def resolve_incident(group: AlertGroup, why: str) -> None:
    """Resolve the group's incident unless a responder already resolved or closed it, or
    another open group (a recurrence that joined it) still fires."""
    if group.incident_id is None:
        return
    incident = Incident.objects.only("status").get(pk=group.incident_id)
    if incident.status not in OPEN_STATUSES:
        return
    if AlertGroup.objects.filter(incident=incident.pk, open=True).exists():
        return
    try:
        incident_services.incident_resolve(
            incident=incident,
            actor=group.integration.service_user,
            via=Channel.MONITORING,
            resolution_code="auto_resolved",
            resolution_notes=f"{AUTO_RESOLVE_NOTE}: {why}.",
        )
    except InvalidTransition:
        return  # changed by a responder meanwhile: theirs stands


def acknowledge_group(group: AlertGroup) -> None:
    """Acknowledge the group's incident if nobody has yet; anything further along stays."""
    if group.incident_id is None:
        return
    incident = Incident.objects.only("status").get(pk=group.incident_id)
    if not workflow.allows("acknowledge", incident.status):
        return
    try:
        incident_services.incident_acknowledge(
            incident=incident, actor=group.integration.service_user, via=Channel.MONITORING
        )
    except InvalidTransition:
        return
