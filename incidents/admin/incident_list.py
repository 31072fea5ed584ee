"""The incident list: what a responder scans all day, in a fixed number of queries.

One query for the page (service, team and assignee joined; SLA state as SQL annotations),
one cheap count, and one per filter that lists choices. Search is `incidents.search`: a
number is an exact match on its unique index, words use the search indexes; people are
found by name or address first (one query on the users), then by the reporter index.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, mark_safe
from django.utils.translation import gettext_lazy as _

from incidents.admin.display import priority_badge, sla_cell, status_badge
from incidents.admin.filters import (
    AssigneeFilter,
    CategoryFilter,
    SlaFilter,
    StatusFilter,
    TeamFilter,
)
from incidents.admin.users import User, user_label
from incidents.counting import CappedPaginator
from incidents.numbers import number_typed
from incidents.practice import PRACTICE_LABEL
from incidents.search import MAX_WORDS, incident_search, text_matches
from itsm.durations import format_duration

# People whose incidents a search also lists; a word common to more people than this
# (e.g. the mail domain) is not how anyone looks for a reporter.
MAX_REPORTERS = 100


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
        "practice",
        SlaFilter,
        "channel",
    ]
    # Shows the search box; `get_search_results` decides what a search finds.
    search_fields = [
        "number",
        "title",
        "description",
        "reporter__username",
        "reporter__email",
        "reporter__first_name",
        "reporter__last_name",
    ]
    search_help_text = _("A number (INC0001234) or words of the title, description or reporter.")
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
        if not search_term.strip() or number_typed(search_term):
            return incident_search(queryset, search_term), False
        reporters = _reporter_ids(search_term)
        return queryset.filter(text_matches(search_term) | Q(reporter_id__in=reporters)), False

    @admin.display(description=_("Title"), ordering="title")
    def title_column(self, incident):
        title = incident.title
        if incident.major:
            title = format_html('<span class="itsm-major">MAJOR</span> {}', title)
        if incident.practice:
            title = format_html('<span class="itsm-practice">{}</span> {}', PRACTICE_LABEL, title)
        return title

    @admin.display(description=_("Priority"), ordering="priority")
    def priority_column(self, incident):
        return priority_badge(incident.priority)

    @admin.display(description=_("Status"), ordering="status")
    def status_column(self, incident):
        return status_badge(incident.status)

    @admin.display(description=_("Assignee"), ordering="assignee__first_name")
    def assignee_column(self, incident):
        return user_label(incident.assignee) or mark_safe('<span class="itsm-muted">-</span>')  # noqa: S308

    @admin.display(description=_("Age"), ordering="opened_at")
    def age(self, incident):
        end = incident.closed_at or incident.resolved_at or timezone.now()
        return format_duration((end - incident.opened_at).total_seconds())

    @admin.display(description=_("SLA due"), ordering="resolution_due")
    def sla_due(self, incident):
        return sla_cell(incident)


def _reporter_ids(search_term: str) -> list[int]:
    """People whose username, e-mail address or name has every word of the search (read
    first, so the incident query can OR an index lookup instead of joining the users)."""
    words = [word.strip("\"'") for word in search_term.split()[:MAX_WORDS]]
    if not any(words):
        return []
    people = User.objects.all()
    for word in filter(None, words):
        people = people.filter(
            Q(username__icontains=word)
            | Q(email__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return list(people.order_by().values_list("pk", flat=True)[:MAX_REPORTERS])
