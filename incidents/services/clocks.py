"""Periodic work on clocks: SLA warnings and breaches, update cadence, auto-close.

Each function is safe to run twice at once: events carry a `dedup_key` (a unique column),
and auto-close re-checks the status under a row lock.
"""

import logging
from datetime import timedelta

from django.conf import settings

from incidents.actors import system_user
from incidents.choices import Channel, EventKind, SlaClock, Status
from incidents.events import record_event
from incidents.exceptions import DomainError
from incidents.models import Incident
from incidents.querysets import resolution_breached_q, response_breached_q
from incidents.services._common import now as current_time
from incidents.services.lifecycle import incident_close

logger = logging.getLogger(__name__)


def _record_once(incident, kind, clock, due, level=None):
    key = f"{kind}:{clock}:{incident.pk}:{due.isoformat()}" + (f":{level}" if level else "")
    data = {"clock": clock, "due": due.isoformat()}
    if level:
        data["level"] = level
    return record_event(
        incident=incident, kind=kind, channel=Channel.SYSTEM, data=data, dedup_key=key
    )


def check_sla_clocks(now=None) -> int:
    """Record `sla_warning` once a running clock passes its warning point and
    `sla_breached` once it passes its due time. Returns the number of events recorded."""
    now = now or current_time()
    open_ = Incident.objects.open()
    checks = [
        (
            EventKind.SLA_WARNING,
            SlaClock.RESPONSE,
            "response_due",
            open_.filter(acknowledged_at__isnull=True, response_warn_at__lte=now),
        ),
        (
            EventKind.SLA_WARNING,
            SlaClock.RESOLUTION,
            "resolution_due",
            open_.filter(sla_paused_at__isnull=True, resolution_warn_at__lte=now),
        ),
        (
            EventKind.SLA_BREACHED,
            SlaClock.RESPONSE,
            "response_due",
            open_.filter(response_breached_q(now)),
        ),
        (
            EventKind.SLA_BREACHED,
            SlaClock.RESOLUTION,
            "resolution_due",
            open_.filter(resolution_breached_q(now)),
        ),
    ]
    recorded = 0
    for kind, clock, due_field, queryset in checks:
        for incident in queryset.only("pk", "number", due_field).iterator():
            recorded += (
                _record_once(incident, kind, clock, getattr(incident, due_field)) is not None
            )
    return recorded


def check_update_cadence(now=None) -> int:
    """Open incidents whose public update is overdue: remind the assignee (level 1), and
    after another interval the team lead (level 2)."""
    now = now or current_time()
    recorded = 0
    overdue = Incident.objects.open().filter(next_update_due__lte=now)
    for incident in overdue.only("pk", "next_update_due", "opened_at").iterator():
        due = incident.next_update_due
        level = 2 if now - due >= max(due - incident.opened_at, timedelta(minutes=30)) else 1
        for step in range(1, level + 1):
            recorded += (
                _record_once(incident, EventKind.UPDATE_OVERDUE, "update", due, level=step)
                is not None
            )
    return recorded


def auto_close_resolved(now=None) -> int:
    """Close incidents resolved longer ago than ITSM_AUTO_CLOSE_AFTER."""
    cutoff = (now or current_time()) - settings.ITSM_AUTO_CLOSE_AFTER
    actor, closed = system_user(), 0
    due = Incident.objects.filter(status=Status.RESOLVED, resolved_at__lte=cutoff)
    for pk in due.values_list("pk", flat=True):
        try:
            incident_close(incident=pk, actor=actor, via=Channel.SYSTEM)
            closed += 1
        except DomainError:  # reopened or closed by someone else meanwhile
            logger.info("Incident %s no longer resolved; not auto-closed", pk)
    return closed
