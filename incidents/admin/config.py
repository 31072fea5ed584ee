"""The catalogue and the rules: services, teams, categories, SLA policies, priority matrix,
hold reasons and resolution codes. Managers edit them; responders may only look (their
group holds the view permissions only), and history is kept where the model records it."""

from django.contrib import admin

from incidents.admin.history import ManagerRevertHistoryAdmin
from incidents.models import (
    Category,
    HoldReason,
    PriorityRule,
    ResolutionCode,
    Service,
    SLAPolicy,
    Team,
)


@admin.register(Team)
class TeamAdmin(ManagerRevertHistoryAdmin):
    list_display = ["name", "email", "lead"]
    list_select_related = ["lead"]
    search_fields = ["name", "slug", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["lead", "members"]


@admin.register(Service)
class ServiceAdmin(ManagerRevertHistoryAdmin):
    list_display = ["name", "owner_team", "status_override", "active"]
    list_filter = ["active", "owner_team"]
    list_select_related = ["owner_team"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["owner_team", "subscribers"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "parent", "active", "confidential_by_default"]
    list_filter = ["active"]
    list_select_related = ["parent"]
    search_fields = ["name", "parent__name"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        # __str__ shows the parent: join it instead of one query per row or suggestion.
        return super().get_queryset(request).select_related("parent")

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            queryset = queryset.filter(active=True)
        return queryset, duplicates


@admin.register(SLAPolicy)
class SLAPolicyAdmin(ManagerRevertHistoryAdmin):
    list_display = [
        "priority",
        "response_minutes",
        "resolution_minutes",
        "update_interval_minutes",
        "warn_percent",
        "business_hours_only",
    ]
    fieldsets = [
        (None, {"fields": ["priority", "warn_percent"]}),
        ("Targets (minutes)", {"fields": ["response_minutes", "resolution_minutes"]}),
        ("Public updates", {"fields": ["update_interval_minutes"]}),
        (
            "Business hours",
            {
                "fields": [
                    "business_hours_only",
                    "business_day_start",
                    "business_day_end",
                    "business_weekdays",
                ]
            },
        ),
    ]


@admin.register(PriorityRule)
class PriorityRuleAdmin(ManagerRevertHistoryAdmin):
    list_display = ["impact", "urgency", "priority"]
    list_filter = ["priority"]


@admin.register(HoldReason)
class HoldReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "pauses_sla", "active"]
    list_filter = ["pauses_sla", "active"]
    search_fields = ["name", "code"]


@admin.register(ResolutionCode)
class ResolutionCodeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active"]
    list_filter = ["active"]
    search_fields = ["name", "code"]
