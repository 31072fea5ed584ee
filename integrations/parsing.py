"""Turning what senders post into `IncomingAlert`s, with no database access.

Alertmanager's webhook is parsed leniently: newer versions add keys and a valid delivery
must never be refused (Alertmanager drops a notification for good on any 4xx), so unknown
keys are ignored and odd values are coerced. Events follow PagerDuty's Events API v2 and
are validated strictly, every problem listed in `errors`.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime

from integrations.choices import (
    KEY_ALERTMANAGER,
    KEY_EVENT,
    KEY_RULE,
    MAX_DEDUP_KEY,
    MAX_SUMMARY,
    AlertStatus,
    Severity,
)
from itsm import jsonbody, text

TITLE_MAX = 200
KEY_MAX = 300
REPLACED_ANNOTATION = "itsm_replaced_characters"
REPLACED_NOTE = (
    "Characters that cannot be stored (NUL, unpaired surrogates) were replaced by U+FFFD in: "
)


class PayloadError(Exception):
    """The body is not something this endpoint can store; `errors` says why, item by item."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class IncomingAlert:
    fingerprint: str
    status: str
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict = field(default_factory=dict)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    generator_url: str = ""

    @property
    def firing(self) -> bool:
        return self.status == AlertStatus.FIRING


@dataclass
class IncomingGroup:
    """Alerts that belong under one group key, with what a new incident would say."""

    key: str
    title: str
    description: str
    alerts: list[IncomingAlert]


def load_json(body: bytes) -> tuple[dict, list[str]]:
    """The decoded body with unstorable characters replaced (refusing would lose the
    alert), and the paths of the fields where that happened."""
    try:
        data = jsonbody.decode(body)
    except jsonbody.JSONBodyError as error:
        raise PayloadError([str(error)]) from None
    if not isinstance(data, dict):
        raise PayloadError(["The body must be a JSON object."])
    if not text.json_may_hold_unstorable(body):
        return data, []
    replaced = sorted(text.unstorable_fields(data))
    return (text.scrub(data) if replaced else data), replaced


def note_replaced(groups: list[IncomingGroup], replaced: list[str]) -> None:
    """Say on each incident (its description) and each alert (shown on the timeline) which
    fields had characters that cannot be stored and now hold U+FFFD instead."""
    if not replaced:
        return
    note = REPLACED_NOTE + ", ".join(replaced[:20]) + (" ..." if len(replaced) > 20 else "")
    for group in groups:
        group.description = f"{group.description}\n\n{note}".strip()
        for alert in group.alerts:
            alert.annotations[REPLACED_ANNOTATION] = note


def group_key(prefix: str, raw: str) -> str:
    key = prefix + raw
    if len(key) > KEY_MAX:
        return prefix + "sha256:" + hashlib.sha256(raw.encode()).hexdigest()
    return key


def _text_map(value) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}


def _time(value) -> datetime | None:
    """RFC 3339 or None; Go's zero time (`0001-01-01T00:00:00Z`) means "not set"."""
    if not isinstance(value, str) or value.startswith("0001-01-01"):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def fingerprint_of(labels: dict[str, str]) -> str:
    canonical = json.dumps(labels, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _alertmanager_alert(item: dict, top_status: str) -> IncomingAlert:
    labels = _text_map(item.get("labels"))
    status = str(item.get("status") or top_status).lower()
    return IncomingAlert(
        fingerprint=str(item.get("fingerprint") or fingerprint_of(labels))[:255],
        status=AlertStatus.RESOLVED if status == "resolved" else AlertStatus.FIRING,
        labels=labels,
        annotations=_text_map(item.get("annotations")),
        starts_at=_time(item.get("startsAt")),
        ends_at=_time(item.get("endsAt")),
        generator_url=str(item.get("generatorURL") or ""),
    )


def _title(summary: str, labels: dict[str, str], key_labels: dict[str, str]) -> str:
    if summary.strip():
        return summary.strip()[:TITLE_MAX]
    name = labels.get("alertname") or key_labels.get("alertname") or labels.get("class") or "Alert"
    rest = ", ".join(f"{k}={v}" for k, v in sorted(key_labels.items()) if k != "alertname")
    return (f"{name}: {rest}" if rest else name)[:TITLE_MAX]


def _describe(alerts: list[IncomingAlert], footer: str = "") -> str:
    lines = []
    for alert in alerts:
        text = alert.annotations.get("description") or alert.annotations.get("summary") or ""
        labels = ", ".join(f"{k}={v}" for k, v in sorted(alert.labels.items()))
        lines.append(f"- {text} ({labels})" if text else f"- {labels}")
    return "\n".join([*lines, footer]).strip()


def parse_alertmanager(data: dict) -> tuple[list[IncomingAlert], dict]:
    """The alerts of a webhook (version 4) and its group context; only a missing or
    malformed `alerts` list makes the payload unusable."""
    items = data.get("alerts")
    if not isinstance(items, list):
        raise PayloadError(["`alerts` must be a list of alerts."])
    top_status = str(data.get("status") or "firing")
    by_fingerprint = {}
    for item in items:
        if isinstance(item, dict):
            alert = _alertmanager_alert(item, top_status)
            by_fingerprint[alert.fingerprint] = alert
    context = {
        "groupKey": str(data.get("groupKey") or ""),
        "groupLabels": _text_map(data.get("groupLabels")),
        "commonLabels": _text_map(data.get("commonLabels")),
        "commonAnnotations": _text_map(data.get("commonAnnotations")),
        "externalURL": str(data.get("externalURL") or ""),
        "receiver": str(data.get("receiver") or ""),
        "truncated": data.get("truncatedAlerts")
        if isinstance(data.get("truncatedAlerts"), int)
        else 0,
    }
    return list(by_fingerprint.values()), context


def rule_key(labels: dict[str, str], rule: list[str]) -> tuple[str, dict[str, str]]:
    values = {name: str(labels.get(name, "")) for name in rule}
    return group_key(KEY_RULE, "|".join(f"{k}={v}" for k, v in values.items())), values


def group_count(alerts: list[IncomingAlert], rule: list[str]) -> int:
    """How many groups `group_alertmanager` makes of these alerts, without making them."""
    if not rule:
        return 1 if alerts else 0
    return len({rule_key(alert.labels, rule)[0] for alert in alerts})


def group_alertmanager(alerts, context, rule: list[str]) -> list[IncomingGroup]:
    """One group per `groupKey`, or per grouping-rule value when the integration has one."""
    footer = f"Alertmanager: {context['externalURL']}" if context["externalURL"] else ""
    if context["truncated"] > 0:
        footer = f"Alertmanager left out {context['truncated']} more alerts (max_alerts).\n{footer}"
    if not rule:
        raw = context["groupKey"] or json.dumps(context["groupLabels"], sort_keys=True)
        raw = raw if context["groupKey"] or context["groupLabels"] else context["receiver"]
        summary = context["commonAnnotations"].get("summary", "")
        labels = context["commonLabels"] or (alerts[0].labels if alerts else {})
        title = _title(summary, labels, context["groupLabels"])
        key = group_key(KEY_ALERTMANAGER, raw)
        return [IncomingGroup(key, title, _describe(alerts, footer), alerts)] if alerts else []
    buckets: dict[str, tuple[dict, list]] = {}
    for alert in alerts:
        key, values = rule_key(alert.labels, rule)
        buckets.setdefault(key, (values, []))[1].append(alert)
    # A folded storm is named by the rule's labels, not by whichever alert came first.
    return [
        IncomingGroup(
            key, _title("", members[0].labels, values), _describe(members, footer), members
        )
        for key, (values, members) in buckets.items()
    ]


@dataclass
class IncomingEvent:
    action: str
    dedup_key: str
    alert: IncomingAlert | None  # only for a trigger
    links: list[dict] = field(default_factory=list)


EVENT_ACTIONS = ("trigger", "acknowledge", "resolve")
_EVENT_LABELS = ("source", "component", "group", "class")


def _optional_text(payload: dict, name: str, errors: list[str], limit: int = 1024) -> str:
    value = payload.get(name)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        errors.append(f"`payload.{name}` must be text of at most {limit} characters.")
        return ""
    return value


def _links(value, errors: list[str]) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(link, dict) and isinstance(link.get("href"), str) for link in value
    ):
        errors.append("`links` must be a list of objects with `href` (and optional `text`).")
        return []
    return [{"href": link["href"], "text": str(link.get("text") or "")} for link in value]


def _trigger_alert(payload, dedup_key: str, errors: list[str]) -> IncomingAlert | None:
    if not isinstance(payload, dict):
        errors.append("`payload` is required for a trigger and must be an object.")
        return None
    summary = payload.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        errors.append("`payload.summary` is required.")
    elif len(summary) > MAX_SUMMARY:
        errors.append(f"`payload.summary` is longer than {MAX_SUMMARY} characters.")
    if not isinstance(payload.get("source"), str) or not payload["source"].strip():
        errors.append("`payload.source` is required.")
    severity = payload.get("severity")
    if severity not in Severity.values:
        errors.append(f"`payload.severity` must be one of {', '.join(Severity.values)}.")
    labels = {name: _optional_text(payload, name, errors) for name in _EVENT_LABELS}
    labels = {name: value for name, value in labels.items() if value}
    details = payload.get("custom_details")
    if isinstance(details, dict):
        extra = {k: v for k, v in details.items() if isinstance(v, str) and k not in labels}
        labels = {**extra, **labels}
    labels["severity"] = str(severity)
    annotations = {"summary": summary if isinstance(summary, str) else ""}
    if details is not None:
        annotations["custom_details"] = details
    return IncomingAlert(
        fingerprint=dedup_key,
        status=AlertStatus.FIRING,
        labels=labels,
        annotations=annotations,
        starts_at=_time(payload.get("timestamp")),
    )


def parse_event(data: dict, new_key) -> IncomingEvent:
    """Validate one event; `new_key()` makes the dedup_key a trigger without one gets."""
    errors: list[str] = []
    action = data.get("event_action")
    if action not in EVENT_ACTIONS:
        errors.append(f"`event_action` must be one of {', '.join(EVENT_ACTIONS)}.")
    dedup_key = data.get("dedup_key")
    if dedup_key is not None and (not isinstance(dedup_key, str) or not dedup_key.strip()):
        errors.append("`dedup_key` must be non-empty text.")
    elif isinstance(dedup_key, str) and len(dedup_key) > MAX_DEDUP_KEY:
        errors.append(f"`dedup_key` is longer than {MAX_DEDUP_KEY} characters.")
    elif dedup_key is None and action in ("acknowledge", "resolve"):
        errors.append(f"`dedup_key` is required to {action}.")
    key = dedup_key if isinstance(dedup_key, str) else ""
    alert = None
    if action == "trigger":
        key = key or new_key()
        alert = _trigger_alert(data.get("payload"), key, errors)
    links = _links(data.get("links"), errors)
    if errors:
        raise PayloadError(errors)
    return IncomingEvent(action=action, dedup_key=key, alert=alert, links=links)


def group_event(event: IncomingEvent, rule: list[str]) -> IncomingGroup:
    """The group a trigger belongs to: its dedup_key, or the grouping rule's values."""
    alert = event.alert
    summary = alert.annotations.get("summary", "")
    if event.links:
        alert.annotations["links"] = event.links
    lines = [summary, *(f"{k}: {v}" for k, v in sorted(alert.labels.items()))]
    details = alert.annotations.get("custom_details")
    if details is not None:
        lines.append("Details: " + json.dumps(details, indent=2, sort_keys=True))
    lines += [f"{link['text'] or 'Link'}: {link['href']}" for link in event.links]
    if rule:
        key, values = rule_key(alert.labels, rule)
        return IncomingGroup(key, _title("", alert.labels, values), "\n".join(lines), [alert])
    key = group_key(KEY_EVENT, event.dedup_key)
    return IncomingGroup(key, _title(summary, alert.labels, {}), "\n".join(lines), [alert])
