"""Responder workspace: incident admin (the full workspace lives in incidents/admin/)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from incidents.models import (
    Category,
    HoldReason,
    Incident,
    PriorityRule,
    ResolutionCode,
    Service,
    SLAPolicy,
    Team,
)


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "priority", "status", "service", "team", "assignee"]
    search_fields = ["number", "title"]


for model in (Category, HoldReason, PriorityRule, ResolutionCode, Service, SLAPolicy, Team):
    admin.site.register(model)
