"""SLA clocks: due times from the policy, pauses, and the ledger that explains them.

Due times are stored on the incident (`response_due`, `resolution_due` and their warning
points) so lists and periodic checks query them directly. They are recomputed from
`opened_at`, the policy of the current priority and the time spent paused, never nudged
incrementally, so a priority change or a pause always gives the same answer.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from incidents.choices import EventKind
from incidents.models import Incident, SLAPolicy
from incidents.rulebook import policy_for  # noqa: F401  (the services say sla.policy_for)
from incidents.selectors import incident_events
from itsm.durations import format_duration


def add_business_time(start: datetime, minutes: float, policy: SLAPolicy) -> datetime:
    """`start` plus `minutes` of the policy's working time (wall time when 24x7)."""
    if not policy.business_hours_only:
        return start + timedelta(minutes=minutes)
    zone = ZoneInfo(settings.ITSM_BUSINESS_TIME_ZONE)
    cursor = start.astimezone(zone)
    remaining = timedelta(minutes=minutes)
    weekdays = policy.weekdays or {0, 1, 2, 3, 4}
    for _ in range(3660):  # ten years of days: bounded even for an absurd policy
        day_start = cursor.replace(
            hour=policy.business_day_start.hour,
            minute=policy.business_day_start.minute,
            second=0,
            microsecond=0,
        )
        day_end = cursor.replace(
            hour=policy.business_day_end.hour,
            minute=policy.business_day_end.minute,
            second=0,
            microsecond=0,
        )
        if cursor.weekday() in weekdays and cursor < day_end:
            cursor = max(cursor, day_start)
            available = day_end - cursor
            if remaining <= available:
                return (cursor + remaining).astimezone(start.tzinfo)
            remaining -= available
        cursor = (cursor + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return cursor.astimezone(start.tzinfo)


def apply_policy(incident: Incident, policy: SLAPolicy | None) -> None:
    """Set the due and warning times of both clocks from `opened_at` (not saved)."""
    if policy is None:
        incident.response_due = incident.resolution_due = None
        incident.response_warn_at = incident.resolution_warn_at = None
        return
    start, warn = incident.opened_at, policy.warn_percent / 100
    paused = timedelta(seconds=incident.sla_paused_seconds)
    incident.response_due = add_business_time(start, policy.response_minutes, policy)
    incident.response_warn_at = add_business_time(start, policy.response_minutes * warn, policy)
    incident.resolution_due = add_business_time(start, policy.resolution_minutes, policy) + paused
    incident.resolution_warn_at = (
        add_business_time(start, policy.resolution_minutes * warn, policy) + paused
    )


def schedule_next_update(incident: Incident, policy: SLAPolicy | None, now: datetime) -> None:
    """Public-update cadence: the reporter hears from us at least this often while open."""
    if policy and policy.update_interval_minutes and incident.is_open:
        incident.next_update_due = now + timedelta(minutes=policy.update_interval_minutes)
    else:
        incident.next_update_due = None


def pause(incident: Incident, now: datetime) -> None:
    if incident.sla_paused_at is None:
        incident.sla_paused_at = now


def unpause(incident: Incident, now: datetime) -> None:
    """Stop a pause; the resolution due time moves by the paused duration."""
    if incident.sla_paused_at is not None:
        paused_for = max(now - incident.sla_paused_at, timedelta(0))
        incident.sla_paused_seconds += int(paused_for.total_seconds())
        incident.sla_paused_at = None


@dataclass(frozen=True)
class LedgerEntry:
    at: datetime
    clock: str
    what: str


def _in_time(at, due) -> str:
    return "in time" if due is None or at <= due else "late"


def _ledger_lines(event, incident, paused_since) -> list[tuple[str, str]]:
    """(clock, text) lines one event adds to the ledger."""
    data, at, kind = event.data or {}, event.created_at, event.kind
    lines = []
    if paused_since and kind in (EventKind.RESUMED, EventKind.RESOLVED):
        lines.append(
            (
                "resolution",
                f"Resumed after {format_duration((at - paused_since).total_seconds(), units=3)}",
            )
        )
    if kind == EventKind.ACKNOWLEDGED:
        lines.append(("response", f"Responded {_in_time(at, incident.response_due)}"))
    elif kind == EventKind.HELD and data.get("pauses_sla"):
        lines.append(("resolution", f"Paused: {data.get('reason_name', 'on hold')}"))
    elif kind == EventKind.PRIORITY_CHANGED:
        lines.append(("both", f"Targets recomputed: {data.get('from')} to {data.get('to')}"))
    elif kind == EventKind.SLA_WARNING:
        lines.append((data.get("clock", ""), "At risk: warning point passed"))
    elif kind == EventKind.SLA_BREACHED:
        lines.append((data.get("clock", ""), "Breached"))
    elif kind == EventKind.RESOLVED:
        lines.append(("resolution", f"Resolved {_in_time(at, incident.resolution_due)}"))
    elif kind == EventKind.REOPENED:
        lines.append(("resolution", "Reopened: resolution clock running again"))
    return lines


def sla_ledger(incident: Incident) -> list[LedgerEntry]:
    """Why the SLA was met or missed, as lines a person can read, from the event log:
    started, paused while awaiting the user for 3 h 12 min, resumed, warned, breached..."""
    entries = [LedgerEntry(incident.opened_at, "both", "Clocks started")]
    paused_since = None
    for event in incident_events(incident):  # oldest first, ties by id
        for clock, text in _ledger_lines(event, incident, paused_since):
            entries.append(LedgerEntry(event.created_at, clock, text))
        if event.kind == EventKind.HELD and (event.data or {}).get("pauses_sla"):
            paused_since = event.created_at
        elif event.kind in (EventKind.RESUMED, EventKind.RESOLVED):
            paused_since = None
    return entries
