"""Reads of monitoring intake: finding an integration by token, alerts on the timeline."""

from django.db.models import QuerySet

from incidents.cached import cached, forget
from incidents.models import Incident
from incidents.selectors import TimelineEntry
from integrations.choices import AlertStatus
from integrations.models import Alert, Integration
from integrations.parsing import REPLACED_ANNOTATION

# + the token's digest (not a secret); versioned like every cached shape.
INTEGRATION_BY_DIGEST = "integrations:by-token-digest:v1:"


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

    try:
        return cached(INTEGRATION_BY_DIGEST + digest, load)
    except _Unknown:
        return None


def forget_token(sender, instance: Integration, **kwargs) -> None:
    """Forget the cached lookup of the integration's token, and of the token it replaced."""
    digests = {instance.token_digest, getattr(instance, "previous_token_digest", None)}
    forget([INTEGRATION_BY_DIGEST + digest for digest in digests if digest])


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
