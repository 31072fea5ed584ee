"""The admin index as a responder's dashboard: my open incidents, unassigned work in my
teams, SLAs at risk or breached, open major incidents, incidents routed to the fallback
team (nobody's service or rule claimed them) and counts by priority.

Six queries whatever the volume: one statement for every count (each capped, see
incidents.counting), one short list per panel, each following a partial index of open
incidents (the fallback team's: the (team, status) index) so that no query reads more than
a page of rows. The fallback team's list is skipped when its count is zero, and the
fallback team's id comes from the routing cache (one query when that is cold). Each
figure links to the incident list with the matching filters.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.admin.display import priority_badge, sla_badge
from incidents.admin.users import user_label
from incidents.choices import PRIORITY_COLOURS, Priority
from incidents.conditions import major_q
from incidents.counting import COUNT_CAP, Tally, capped_counts
from incidents.models import Incident, Team
from incidents.querysets import sla_at_risk_q, sla_breached_q
from incidents.roles import can_work_incidents
from incidents.routing import fallback_team

PANEL_ROWS = 8


@dataclass
class Panel:
    title: str
    url: str
    count: int
    incidents: list = field(default_factory=list)
    empty: str = _("Nothing here.")


@dataclass
class Dashboard:
    panels: list[Panel]
    tiles: list[dict]
    priorities: list[dict]


def _list_url(**params) -> str:
    url = reverse("admin:incidents_incident_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def dashboard_for(user, now=None) -> Dashboard | None:
    """The figures a responder starts the day with; None for people who do not work
    incidents (they see no incident data at all)."""
    if not can_work_incidents(user):
        return None
    now = now or timezone.now()
    open_incidents = Incident.objects.real().visible_to(user).open()
    my_teams = Team.members.through.objects.filter(user=user).values("team_id")
    fallback_id = (fallback_team() or (None,))[0]  # cached; never created by a read
    filters = {
        "mine": Q(assignee=user),
        "unassigned": Q(assignee__isnull=True, team__in=my_teams),
        "breached": sla_breached_q(now),
        "at_risk": sla_at_risk_q(now),
        "major": major_q(),
        # The (team, status) index; still with the fallback team, whoever picked it up.
        # No such team (deleted; created again by the next routing): an impossible id.
        "fallback": Q(team_id=fallback_id or 0),
    }
    counts = capped_counts(
        {name: open_incidents.filter(q) for name, q in filters.items()}
        | {p: open_incidents.filter(priority=p) for p in Priority.values}
    )

    def rows(q, order):
        listed = open_incidents.filter(q).with_sla_state(now).order_by(*order)
        incidents = list(listed.select_related("team", "assignee")[:PANEL_ROWS])
        for incident in incidents:
            incident.priority_html = priority_badge(incident.priority)
            incident.sla_html = sla_badge(incident)
            incident.owner_label = user_label(incident.assignee) or str(incident.team or "")
        return incidents

    by_due = ("priority", "resolution_due", "pk")
    # The most overdue first: breached clocks have the earliest due times, so the panel
    # walks the open incidents' due-time index and stops after a page.
    by_urgency = ("resolution_due", "pk")
    panels = [
        Panel(_("My open incidents"), _list_url(assignee="mine"), counts["mine"],
              rows(filters["mine"], by_due), _("Nothing assigned to you.")),
        Panel(_("Unassigned in my teams"), _list_url(assignee="unassigned", team="mine"),
              counts["unassigned"], rows(filters["unassigned"], by_due),
              _("Every incident of your teams has someone on it.")),
        Panel(_("SLA breached or at risk"), _list_url(sla="breached"),
              Tally(min(counts["breached"] + counts["at_risk"], COUNT_CAP + 1)),
              rows(filters["breached"] | filters["at_risk"], by_urgency),
              _("All clocks are on track.")),
        Panel(_("Open major incidents"), _list_url(major__exact="1"), counts["major"],
              rows(filters["major"], by_due), _("No major incident.")),
        Panel(_("Routed to the fallback team"), _list_url(team=fallback_id or "none"),
              counts["fallback"], rows(filters["fallback"], by_due) if counts["fallback"] else [],
              _("No incident waits for triage: every one has its team.")),
    ]  # fmt: skip
    tiles = [
        {"label": _("Assigned to me"), "count": counts["mine"], "url": panels[0].url},
        {"label": _("Unassigned in my teams"), "count": counts["unassigned"], "url": panels[1].url},
        {"label": _("SLA breached"), "count": counts["breached"], "url": _list_url(sla="breached"),
         "alert": counts["breached"] > 0},
        {"label": _("SLA at risk"), "count": counts["at_risk"], "url": _list_url(sla="at_risk"),
         "warn": counts["at_risk"] > 0},
        {"label": _("Major incidents"), "count": counts["major"], "url": panels[3].url,
         "alert": counts["major"] > 0},
    ]  # fmt: skip
    priorities = [
        {
            "priority": p,
            "label": p.label,
            "count": counts[p.value],
            "colour": PRIORITY_COLOURS[p],
            "url": _list_url(priority__exact=p.value),
        }
        for p in Priority
    ]
    return Dashboard(panels=panels, tiles=tiles, priorities=priorities)
