"""Small HTML fragments the workspace shows in several places (list, change page, index)."""

from datetime import datetime

from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from incidents.choices import PRIORITY_COLOURS, STATUS_COLOURS, Priority, Status
from itsm.durations import format_duration


def relative(moment: datetime, now: datetime | None = None) -> str:
    """'in 2 h' or '35 min ago'."""
    delta = (moment - (now or timezone.now())).total_seconds()
    if delta >= 0:
        return _("in %(duration)s") % {"duration": format_duration(delta)}
    return _("%(duration)s ago") % {"duration": format_duration(delta)}


def badge(text: str, colour: str, *, title: str = "", css: str = "") -> str:
    return format_html(
        '<span class="itsm-badge {}" style="background:{}" title="{}">{}</span>',
        css,
        colour,
        title,
        text,
    )


def priority_badge(priority: str) -> str:
    return badge(
        priority, PRIORITY_COLOURS.get(priority, "#4b5563"), title=Priority(priority).label
    )


def status_badge(status: str) -> str:
    return badge(Status(status).label, STATUS_COLOURS.get(status, "#4b5563"))


BREACHED = ("#b91c1c", _("Breached"))
AT_RISK = ("#d97706", _("At risk"))
PAUSED = _("Paused")


def sla_badge(incident) -> str:
    """Breached / at risk from the `with_sla_state()` annotations (no query)."""
    if getattr(incident, "sla_breached_now", False):
        return badge(BREACHED[1], BREACHED[0])
    if getattr(incident, "sla_at_risk_now", False):
        return badge(AT_RISK[1], AT_RISK[0])
    return ""


def next_due(incident) -> tuple[str, datetime | None]:
    """The clock that matters now: response until acknowledged, then resolution."""
    if not incident.is_open:
        return "", None
    if incident.acknowledged_at is None and incident.response_due:
        return _("Response"), incident.response_due
    if incident.sla_paused_at is not None:
        return PAUSED, None
    return _("Resolution"), incident.resolution_due


def sla_cell(incident, now: datetime | None = None) -> str:
    """The list's 'SLA due' column: which clock, when, and a breached/at-risk badge."""
    label, due = next_due(incident)
    state = sla_badge(incident)
    if label is PAUSED:
        return format_html('<span class="itsm-muted">{}</span> {}', _("clock paused"), state)
    if incident.status == Status.CANCELLED:
        return format_html('<span class="itsm-muted">{}</span>', _("not counted"))
    if due is None:
        if incident.is_open:
            return format_html('<span class="itsm-muted">{}</span>', _("no target"))
        met = not getattr(incident, "sla_breached_now", False)
        return badge(_("Met"), "#15803d") if met else badge(_("Missed"), BREACHED[0])
    local = timezone.localtime(due)
    return format_html(
        '<span title="{}">{}</span> {}',
        _("%(clock)s due %(when)s") % {"clock": label, "when": local.strftime("%Y-%m-%d %H:%M")},
        relative(due, now),
        state,
    )
