from django.contrib import admin

from statuspage.models import DailyUptime, StatusMail, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Who receives status mail. Addresses subscribe themselves (double opt-in); managers
    may look and remove, never add someone who did not confirm."""

    list_display = ["email", "all_services", "confirmed_at", "created_at"]
    list_filter = ["all_services", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["email", "confirmed_at", "created_at"]
    filter_horizontal = ["services"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(StatusMail)
class StatusMailAdmin(admin.ModelAdmin):
    list_display = ["template", "subscriber", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    list_select_related = ["subscriber"]
    search_fields = ["subscriber__email", "key"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DailyUptime)
class DailyUptimeAdmin(admin.ModelAdmin):
    list_display = ["service", "day", "outage_minutes", "degraded_minutes", "computed_at"]
    list_filter = ["service"]
    list_select_related = ["service"]
    date_hierarchy = "day"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
