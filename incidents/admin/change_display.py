"""Read-only parts of the change page: status, reporter, watchers, SLA state and ledger,
related incidents. Each reads what the page already loaded or makes one query."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from incidents.admin.display import PAUSED, next_due, relative, sla_badge, status_badge
from incidents.admin.users import user_label
from incidents.sla import sla_ledger
from itsm.durations import format_duration

LINKS_SHOWN = 50


def _incident_links(pairs) -> str:
    """Links to incidents given as (pk, number) pairs."""
    links = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse("admin:incidents_incident_change", args=[pk]), number) for pk, number in pairs),
    )
    return links or "-"


class IncidentDisplayMixin:
    @admin.display(description=_("Status"))
    def status_display(self, incident):
        return status_badge(incident.status)

    @admin.display(description=_("Reporter"))
    def reporter_display(self, incident):
        if incident.reporter is None:
            return "-"
        return format_html(
            "{} &lt;{}&gt;", user_label(incident.reporter), incident.reporter.email or "no e-mail"
        )

    @admin.display(description=_("Watchers"))
    def watchers_display(self, incident):
        watchers = getattr(incident, "watcher_list", None)
        if watchers is None:
            watchers = list(incident.watchers.all())
        return ", ".join(user_label(user) for user in watchers) or "-"

    @admin.display(description=_("SLA state"))
    def sla_state(self, incident):
        label, due = next_due(incident)
        state = sla_badge(incident)
        if not incident.is_open:
            return state or "-"
        if label is PAUSED:
            return format_html("{} {}", _("Resolution clock paused"), state)
        if due is None:
            return _("No SLA target for this priority.")
        due_text = _("%(clock)s due %(when)s") % {"clock": label, "when": relative(due)}
        return format_html("{} {}", due_text, state)

    @admin.display(description=_("Paused"))
    def sla_paused_display(self, incident):
        total = incident.sla_paused_seconds
        if incident.sla_paused_at:
            since = timezone.localtime(incident.sla_paused_at)
            return f"since {since:%Y-%m-%d %H:%M} (earlier pauses: {format_duration(total)})"
        return f"{format_duration(total)} in total" if total else "never"

    @admin.display(description=_("SLA ledger"))
    def sla_ledger_display(self, incident):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M}", entry.clock, entry.what)
                for entry in sla_ledger(incident)
            ),
        )
        return format_html(
            '<table class="itsm-ledger"><thead><tr><th>When</th><th>Clock</th><th>What</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description=_("Children"))
    def children_display(self, incident):
        if getattr(incident, "has_children", None) is False:  # known empty (get_object)
            return "-"
        # Oldest first, by id: the list's default order would have SQLite walk the whole
        # priority index instead of looking the few children up by parent.
        return _incident_links(
            incident.children.order_by("pk").values_list("pk", "number")[:LINKS_SHOWN]
        )

    @admin.display(description=_("Merged duplicates"))
    def duplicates_display(self, incident):
        if getattr(incident, "has_duplicates", None) is False:
            return "-"
        return _incident_links(
            incident.duplicates.order_by("pk").values_list("pk", "number")[:LINKS_SHOWN]
        )
