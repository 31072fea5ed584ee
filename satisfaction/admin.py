"""Admin of satisfaction: the ratings, read-only (only the reporter gives or changes one)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from incidents.visibility import about_visible_incidents
from satisfaction.models import Rating


@admin.register(Rating)
class RatingAdmin(SimpleHistoryAdmin):
    list_display = ["incident_link", "score", "team", "reporter", "created_at", "updated_at"]
    list_filter = ["score", "incident__team"]
    list_select_related = ["incident", "incident__team", "reporter"]
    search_fields = ["incident__number", "comment"]
    fields = ["incident_link", "reporter", "score", "comment", "created_at", "updated_at"]
    readonly_fields = fields
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_queryset(self, request):
        # Ratings of confidential incidents the viewer may not see are not listed.
        return about_visible_incidents(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("incident"), ordering="incident__number")
    def incident_link(self, rating):
        incident = rating.incident
        return format_html(
            '<a href="{}">{}</a>: {}', incident.get_admin_url(), incident.number, incident.title
        )

    @admin.display(description=_("team"), ordering="incident__team__name")
    def team(self, rating):
        return rating.incident.team or "—"
