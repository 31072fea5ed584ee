"""The incident list: what a responder scans all day, in a fixed number of queries.

One query for the page (service, team and assignee joined; SLA state as SQL annotations),
one cheap count, and one per filter that lists choices. Searching for a number is an exact
match on its unique index instead of a scan of every title and description.
"""

import re

from django.contrib import admin
from django.contrib.admin import helpers
from django.utils import timezone
from django.utils.html import format_html, mark_safe

from incidents.admin.display import compact_duration, priority_badge, sla_cell, status_badge
from incidents.admin.filters import (
    AssigneeFilter,
    CategoryFilter,
    SlaFilter,
    StatusFilter,
    TeamFilter,
)
from incidents.admin.users import user_label
from incidents.counting import CappedPaginator

NUMBER = re.compile(r"INC0*(\d{1,7})", re.IGNORECASE)


class IncidentListMixin:
    list_display = [
        "number",
        "title_column",
        "priority_column",
        "status_column",
        "service",
        "team",
        "assignee_column",
        "age",
        "sla_due",
    ]
    list_display_links = ["number", "title_column"]
    list_select_related = ["service", "team", "assignee"]
    list_filter = [
        StatusFilter,
        "priority",
        TeamFilter,
        AssigneeFilter,
        "service",
        CategoryFilter,
        "major",
        "confidential",
        SlaFilter,
        "channel",
    ]
    search_fields = [
        "number",
        "title",
        "description",
        "reporter__username",
        "reporter__email",
        "reporter__first_name",
        "reporter__last_name",
    ]
    search_help_text = "A number (INC0001234) or words of the title, description or reporter."
    ordering = ["priority", "resolution_due", "pk"]
    list_per_page = 50  # a screenful to scan; filters and search find the rest
    # Counting all 100,000 incidents on every page view buys nothing; the filtered count
    # shown is enough, and it stops at 10,000 (CappedPaginator).
    show_full_result_count = False
    paginator = CappedPaginator
    # Facet counts would run one count per filter choice over the whole table.
    show_facets = admin.ShowFacets.NEVER

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Incidents", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(
        description=mark_safe(
            '<input type="checkbox" id="action-toggle" '
            'aria-label="Select all incidents on this page for an action">'
        )
    )
    def action_checkbox(self, incident):
        # Django renders a form widget template per row; plain HTML is a third of the
        # page's rendering time at 100 rows.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select {} for an action">',
            helpers.ACTION_CHECKBOX_NAME,
            incident.pk,
            incident.number,
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.visible_to(request.user).with_sla_state()

    def get_search_results(self, request, queryset, search_term):
        match = NUMBER.fullmatch(search_term.strip())
        if match:
            return queryset.filter(number=f"INC{int(match.group(1)):07d}"), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="Title", ordering="title")
    def title_column(self, incident):
        if incident.major:
            return format_html('<span class="itsm-major">MAJOR</span> {}', incident.title)
        return incident.title

    @admin.display(description="Priority", ordering="priority")
    def priority_column(self, incident):
        return priority_badge(incident.priority)

    @admin.display(description="Status", ordering="status")
    def status_column(self, incident):
        return status_badge(incident.status)

    @admin.display(description="Assignee", ordering="assignee__first_name")
    def assignee_column(self, incident):
        return user_label(incident.assignee) or mark_safe('<span class="itsm-muted">-</span>')  # noqa: S308

    @admin.display(description="Age", ordering="opened_at")
    def age(self, incident):
        end = incident.closed_at or incident.resolved_at or timezone.now()
        return compact_duration((end - incident.opened_at).total_seconds())

    @admin.display(description="SLA due", ordering="resolution_due")
    def sla_due(self, incident):
        return sla_cell(incident)
