"""Monitoring in the responder workspace: integrations (managers; the token is shown once,
on the page after creating or rotating it, with the deliveries waiting for the worker and
those that failed), alert groups and alerts (read-only), and maintenance windows (managers
schedule, responders look)."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from incidents.visibility import about_visible_incidents
from integrations import services
from integrations.choices import Kind
from integrations.models import Alert, AlertGroup, Delivery, Integration, MaintenanceWindow
from itsm.jsonbody import JSONFormField

ENDPOINTS = {Kind.ALERTMANAGER: "integrations:alertmanager", Kind.EVENTS: "integrations:events"}


def _endpoint_url(request, integration: Integration) -> str:
    return request.build_absolute_uri(reverse(ENDPOINTS[Kind(integration.kind)]))


def _key_values(mapping: dict):
    """Labels or annotations as `name=value` chips; every name and value escaped."""
    if not mapping:
        return "-"
    return format_html_join(" ", "<code>{}={}</code>", sorted(mapping.items()))


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "active",
        "default_service",
        "auto_resolve",
        "last_heartbeat",
        "waiting_deliveries",
        "failed_deliveries",
        "refused_count",
    ]
    list_filter = ["kind", "active"]
    list_select_related = ["default_service", "heartbeat"]
    search_fields = ["name"]
    autocomplete_fields = ["default_service", "default_team"]
    formfield_overrides = {models.JSONField: {"form_class": JSONFormField}}
    readonly_fields = [
        "token_prefix",
        "service_user",
        "created_at",
        "last_heartbeat",
        "refused_count",
        "last_refused_at",
        "last_refused_reason",
        "waiting_deliveries",
        "oldest_waiting",
        "failed_deliveries",
        "last_failure",
    ]
    actions = ["rotate_token"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "active", "token_prefix", "service_user"]}),
        (
            "Incidents",
            {
                "fields": [
                    "default_service",
                    "default_team",
                    "severity_priority",
                    "default_priority",
                    "auto_resolve",
                    "confidential_by_default",
                    "grouping_labels",
                ]
            },
        ),
        (
            "Liveness",
            {"fields": ["heartbeat_interval_minutes", "last_heartbeat", "quiet_period_minutes"]},
        ),
        ("Limits", {"fields": ["rate_limit_per_minute", "created_at"]}),
        (
            "Refused deliveries",
            {
                "fields": ["refused_count", "last_refused_at", "last_refused_reason"],
                "description": "Payloads that can never be stored (not JSON, nested too deep, "
                "invalid values) are refused with a 4xx and not retried by the sender.",
            },
        ),
        (
            "Deliveries",
            {
                "fields": [
                    "waiting_deliveries",
                    "oldest_waiting",
                    "failed_deliveries",
                    "last_failure",
                ],
                "description": "Accepted deliveries wait here until the worker turns them "
                "into alerts and incidents, oldest first. A backlog that grows means the "
                "worker is not running or cannot keep up; a failed delivery was accepted "
                "but could not be applied (also counted as refused).",
            },
        ),
    ]

    def get_queryset(self, request):
        # One aggregate over the deliveries instead of three queries per row.
        waiting, failed = Q(deliveries__processed_at=None), Q(deliveries__failed=True)
        last_failure = Delivery.objects.filter(integration=OuterRef("pk"), failed=True)
        return (
            super()
            .get_queryset(request)
            .annotate(
                waiting_total=Count("deliveries", filter=waiting),
                oldest_waiting_at=Min("deliveries__received_at", filter=waiting),
                failed_total=Count("deliveries", filter=failed),
                last_failure_reason=Subquery(last_failure.order_by("-pk").values("last_error")[:1]),
            )
        )

    @admin.display(description=_("Waiting"), ordering="waiting_total")
    def waiting_deliveries(self, obj):
        return obj.waiting_total

    @admin.display(description=_("Oldest waiting for"))
    def oldest_waiting(self, obj):
        if obj.oldest_waiting_at is None:
            return "-"
        return timesince(obj.oldest_waiting_at, depth=1)

    @admin.display(description=_("Failed"), ordering="failed_total")
    def failed_deliveries(self, obj):
        return obj.failed_total

    @admin.display(description=_("Last failure"))
    def last_failure(self, obj):
        return obj.last_failure_reason or "-"

    def get_readonly_fields(self, request, obj=None):
        # The token opens one endpoint only: the kind is fixed once it is issued.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "kind"] if obj else fields

    @admin.display(description=_("Last heartbeat"))
    def last_heartbeat(self, obj):
        beat = getattr(obj, "heartbeat", None)
        return beat.last_seen_at if beat and beat.last_seen_at else "-"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            request._integration_token = services.integration_register(integration=obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self._token_page(request, obj, request._integration_token, created=True)

    @admin.action(
        description=_("Issue a new token (the old one stops working)"), permissions=["change"]
    )
    def rotate_token(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one integration."), messages.WARNING)
            return None
        integration = queryset.get()
        token = services.integration_rotate_token(integration=integration)
        return self._token_page(request, integration, token, created=False)

    def _token_page(self, request, integration, token, *, created):
        context = {
            **self.admin_site.each_context(request),
            "title": f"Token of {integration.name}",
            "opts": self.opts,
            "integration": integration,
            "token": token,
            "created": created,
            "endpoint": _endpoint_url(request, integration),
            "heartbeat_url": request.build_absolute_uri(reverse("integrations:heartbeat")),
            "change_url": reverse("admin:integrations_integration_change", args=[integration.pk]),
        }
        response = TemplateResponse(request, "admin/integrations/integration/token.html", context)
        response["Cache-Control"] = "no-store"
        return response


class ReadOnlyAdmin(admin.ModelAdmin):
    """What monitoring recorded is evidence: nobody edits it by hand."""

    show_full_result_count = False  # alert tables grow large; skip the second COUNT

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AlertInline(admin.TabularInline):
    model = Alert
    fields = ["status", "alert_name", "labels_list", "count", "first_seen_at", "last_seen_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Alert"))
    def alert_name(self, obj):
        return obj.name

    @admin.display(description=_("Labels"))
    def labels_list(self, obj):
        return _key_values(obj.labels)


@admin.register(AlertGroup)
class AlertGroupAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "integration",
        "open",
        "incident_link",
        "service",
        "suppressed",
        "alert_count",
        "opened_at",
        "last_fired_at",
    ]
    list_filter = ["open", "suppressed", "integration"]
    list_select_related = ["integration", "incident", "service"]
    search_fields = ["title", "key", "incident__number"]
    readonly_fields = [
        "integration",
        "key",
        "incident_link",
        "open",
        "title",
        "service",
        "suppressed",
        "opened_at",
        "last_fired_at",
        "closed_at",
    ]
    fields = readonly_fields
    inlines = [AlertInline]

    def get_queryset(self, request):
        rows = super().get_queryset(request).annotate(alert_total=Count("alerts"))
        return about_visible_incidents(rows, request.user, "incident")

    @admin.display(description=_("Alerts"), ordering="alert_total")
    def alert_count(self, obj):
        return obj.alert_total

    @admin.display(description=_("Incident"), ordering="incident__number")
    def incident_link(self, obj):
        if obj.incident_id is None:
            return "suppressed (maintenance)" if obj.suppressed else "-"
        return format_html('<a href="{}">{}</a>', obj.incident.get_admin_url(), obj.incident.number)


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = [
        "alert_name",
        "status",
        "group",
        "fingerprint",
        "count",
        "first_seen_at",
        "last_seen_at",
    ]
    list_filter = ["status"]
    list_select_related = ["group"]
    search_fields = ["fingerprint", "group__title"]
    fields = [
        "group",
        "fingerprint",
        "status",
        "labels_list",
        "annotations_list",
        "generator_url",
        "starts_at",
        "ends_at",
        "first_seen_at",
        "last_seen_at",
        "resolved_at",
        "count",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return about_visible_incidents(rows, request.user, "group__incident")

    @admin.display(description=_("Alert"))
    def alert_name(self, obj):
        return obj.name

    @admin.display(description=_("Labels"))
    def labels_list(self, obj):
        return _key_values(obj.labels)

    @admin.display(description=_("Annotations"))
    def annotations_list(self, obj):
        return _key_values(obj.annotations)


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(admin.ModelAdmin):
    list_display = ["service", "starts_at", "ends_at", "reason", "in_progress", "created_by"]
    list_display += ["public"]
    list_filter = ["service", "public"]
    list_select_related = ["service", "created_by"]
    search_fields = ["service__name", "reason"]
    autocomplete_fields = ["service"]
    readonly_fields = ["created_by"]
    date_hierarchy = "starts_at"

    @admin.display(boolean=True, description=_("Now"))
    def in_progress(self, obj):
        return obj.starts_at <= timezone.now() < obj.ends_at

    def save_model(self, request, obj, form, change):
        services.maintenance_window_save(window=obj, actor=request.user)
