"""Reads of monitoring intake: finding an integration by token, alerts on the timeline."""

import pickle
import threading
import time

from django.db import transaction
from django.db.models import QuerySet

from incidents.cached import cached, forget
from incidents.models import Incident
from incidents.selectors import TimelineEntry
from integrations.choices import AlertStatus
from integrations.models import Alert, Integration
from integrations.parsing import REPLACED_ANNOTATION

# + the token's digest (not a secret); versioned like every cached shape.
INTEGRATION_BY_DIGEST = "integrations:by-token-digest:v1:"
# How long a web process keeps an integration it looked up, without asking the shared cache
# (one round trip of every monitoring request). A change made in this process applies at
# once; one made elsewhere (switched off, token rotated) reaches it within this time.
LOCAL_SECONDS = 2
_local: dict[str, tuple[float, bytes]] = {}  # digest -> (until, the pickled integration)
_local_lock = threading.Lock()


class _Unknown(Exception):
    """No integration has this token (not cached: random tokens must not fill the cache)."""


def integration_for_token(token: str) -> Integration | None:
    """The integration whose token this is (compared by digest; tokens are not stored).
    Read on every monitoring request, so kept in the cache by digest and forgotten when the
    integration is saved (switched off, token rotated) or deleted (`forget_token`)."""
    from integrations.services import token_digest

    if not token:
        return None
    digest = token_digest(token)

    def load() -> Integration:
        found = Integration.objects.filter(token_digest=digest).first()
        if found is None:
            raise _Unknown
        return found

    kept = _local.get(digest)
    if kept is not None and kept[0] > time.monotonic():
        # A copy (a request may change its integration), of bytes this process pickled.
        return pickle.loads(kept[1])  # noqa: S301
    try:
        found = cached(INTEGRATION_BY_DIGEST + digest, load)
    except _Unknown:
        return None
    with _local_lock:
        _local[digest] = (time.monotonic() + LOCAL_SECONDS, pickle.dumps(found))
    return found


def forget_token(sender, instance: Integration, **kwargs) -> None:
    """Forget the cached lookup of the integration's token, and of the token it replaced,
    in the shared cache and in this process (now and after commit)."""
    digests = {instance.token_digest, getattr(instance, "previous_token_digest", None)}
    digests.discard(None)
    digests.discard("")
    forget([INTEGRATION_BY_DIGEST + digest for digest in digests])

    def forget_here():
        with _local_lock:
            for digest in digests:
                _local.pop(digest, None)

    forget_here()
    transaction.on_commit(forget_here, robust=True)


def forget_local_integrations() -> None:
    """Drop what this process kept (tests start from nothing)."""
    with _local_lock:
        _local.clear()


def _labels_text(labels: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in sorted(labels.items()))


def alert_rows(incident) -> QuerySet:
    """The alerts `alert_timeline` shows (`incident` may be an OuterRef)."""
    return Alert.objects.filter(group__incident=incident)


def alert_timeline(incident: Incident) -> list[TimelineEntry]:
    """Each alert of the incident's groups: when it first fired (with how often it was
    received) and, once it cleared, when it resolved. One query."""
    alerts = alert_rows(incident).select_related("group__integration")
    entries = []
    for alert in alerts:
        source = alert.group.integration.name
        summary = str(alert.annotations.get("summary") or "")
        times = "" if alert.count == 1 else f" (received {alert.count} times)"
        replaced = str(alert.annotations.get(REPLACED_ANNOTATION) or "")
        entries.append(
            TimelineEntry(
                at=alert.first_seen_at,
                kind="alert",
                public=False,
                title=f"Alert firing: {alert.name}{times}",
                actor=source,
                body="\n".join(filter(None, [summary, _labels_text(alert.labels), replaced])),
            )
        )
        if alert.status == AlertStatus.RESOLVED and alert.resolved_at:
            entries.append(
                TimelineEntry(
                    at=alert.resolved_at,
                    kind="alert",
                    public=False,
                    title=f"Alert resolved: {alert.name}",
                    actor=source,
                    body=_labels_text(alert.labels),
                )
            )
    return entries
