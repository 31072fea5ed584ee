"""Inbound e-mail in the responder workspace: a read-only log of what arrived and what became
of it (responders look; nobody edits what was received)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from email_intake.choices import OUTCOME_COLOURS, Outcome
from email_intake.models import InboundMessage
from incidents.admin.display import badge


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "subject", "outcome", "incident_link", "reason"]
    list_filter = ["status"]
    # Only the incident's number is shown: load it in the list query, not one query per row.
    list_select_related = ["incident"]
    search_fields = ["message_id", "sender", "subject", "incident__number"]
    date_hierarchy = "received_at"
    show_full_result_count = False  # the log grows without bound; skip the second COUNT
    fields = [
        "received_at",
        "message_id",
        "sender",
        "subject",
        "size",
        "outcome",
        "reason",
        "user",
        "incident_link",
        "comment",
        "result",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Outcome"), ordering="status")
    def outcome(self, obj):
        label = Outcome(obj.status).label if obj.status in Outcome.values else obj.status
        return badge(label, OUTCOME_COLOURS.get(obj.status, "#4b5563"))

    @admin.display(description=_("Incident"), ordering="incident__number")
    def incident_link(self, obj):
        if obj.incident_id is None:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.incident.get_admin_url(), obj.incident.number)
