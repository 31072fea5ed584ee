"""Notifications in the responder workspace: what was sent and what failed (read only),
the rules managers edit, and people's preferences."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from incidents.visibility import about_visible_incidents
from notifications.models import (
    DeliveryStatus,
    Notification,
    NotificationPreference,
    NotificationRule,
)
from notifications.recipients import kind_label
from notifications.services import notifications_retry

STATUS_COLOURS = {
    DeliveryStatus.PENDING: "#6b7280",
    DeliveryStatus.SENDING: "#2563eb",
    DeliveryStatus.SENT: "#15803d",
    DeliveryStatus.FAILED: "#b91c1c",
}


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """A record, never edited by hand; failed ones can be sent again."""

    list_display = [
        "created_at",
        "incident_number",
        "event_kind",
        "address",
        "role",
        "delivery",
        "attempts",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "role", ("event__kind", admin.ChoicesFieldListFilter)]
    search_fields = ["incident__number", "address", "subject"]
    # The list shows the incident number and event kind: two joins, not one query per row.
    list_select_related = ["incident", "event"]
    date_hierarchy = "created_at"
    # The table grows with every message: skip the full COUNT(*) a filter would add.
    show_full_result_count = False
    actions = ["retry"]
    readonly_fields = [
        "event",
        "incident",
        "recipient",
        "address",
        "role",
        "staff",
        "template",
        "status",
        "attempts",
        "due_at",
        "claimed_at",
        "sent_at",
        "subject",
        "message_id",
        "error",
        "created_at",
    ]

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return about_visible_incidents(rows, request.user, "incident")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Incident"), ordering="incident__number")
    def incident_number(self, obj):
        return obj.incident.number

    @admin.display(description=_("Event"), ordering="event__kind")
    def event_kind(self, obj):
        return kind_label(obj.event)

    @admin.display(description=_("Status"), ordering="status")
    def delivery(self, obj):
        return format_html(
            '<strong style="color:{}">{}</strong>',
            STATUS_COLOURS[obj.status],
            obj.get_status_display(),
        )

    @admin.display(description=_("Error"))
    def short_error(self, obj):
        return obj.error[:120]

    @admin.action(
        description=_("Send the selected failed notifications again"), permissions=["change"]
    )
    def retry(self, request, queryset):
        count = notifications_retry(notification_ids=list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - count
        message = ngettext(
            "%(count)d notification queued again.", "%(count)d notifications queued again.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} skipped: only failed notifications are retried.",
                messages.WARNING,
            )


@admin.register(NotificationRule)
class NotificationRuleAdmin(admin.ModelAdmin):
    """Who is told about each kind of event; managers change the ticks in the list."""

    list_display = ["kind", "enabled", *NotificationRule.AUDIENCES]
    list_editable = ["enabled", *NotificationRule.AUDIENCES]
    list_display_links = ["kind"]
    ordering = ["kind"]

    def has_add_permission(self, request):
        return False  # one rule per notifiable kind exists already

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["kind"] if obj else []


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "receive_updates", "own_actions", "updated_at"]
    list_filter = ["receive_updates", "own_actions"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
