"""Admin for API tokens (superusers) and outgoing webhooks (incident managers)."""

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from api.services import api_token_create, api_token_revoke
from api.tasks import deliver_webhook
from itsm.jsonbody import JSONFormField


def _state(token: ApiToken) -> str:
    if token.revoked_at:
        return "revoked"
    if token.expires_at and token.expires_at <= timezone.now():
        return "expired"
    return "active"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Creating a token shows its secret once, in the confirmation message; afterwards only
    the prefix is known. Tokens are revoked, never edited into another user's hands."""

    list_display = ["name", "user", "prefix", "state", "created_at", "expires_at", "last_used_at"]
    list_select_related = ["user"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]
    show_full_result_count = False

    @admin.display(description=_("state"))
    def state(self, token):
        return _state(token)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return [
            "user",
            "name",
            "prefix",
            "state",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "prefix", "state", "created_at", "last_used_at", "revoked_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        _token, secret = api_token_create(
            user=obj.user, name=obj.name, expires_at=obj.expires_at, instance=obj
        )
        self.message_user(
            request,
            format_html("Copy this token now, it will not be shown again: <code>{}</code>", secret),
            messages.WARNING,
        )

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(api_token_revoke(token=token) for token in queryset)
        message = ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", revoked)
        self.message_user(request, message % {"count": revoked}, messages.SUCCESS)


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["event", "status", "attempts", "response_code", "error", "created_at"]
    readonly_fields = fields
    ordering = ["-created_at"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "event__incident")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret", "created_by", "created_at"]
    fields = ["name", "url", "events", "active", "secret", "created_by", "created_at"]
    formfield_overrides = {models.JSONField: {"form_class": JSONFormField}}
    inlines = [DeliveryInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "attempts", "response_code", "created_at"]
    list_select_related = ["endpoint", "event"]
    list_filter = ["status", "endpoint"]
    readonly_fields = [
        "endpoint",
        "event",
        "status",
        "attempts",
        "response_code",
        "error",
        "payload",
        "created_at",
        "claimed_at",
        "next_attempt_at",
        "delivered_at",
    ]
    actions = ["send_again"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request, queryset):
        failed = queryset.filter(status=WebhookDelivery.Status.FAILED)
        ids = list(failed.values_list("pk", flat=True))
        failed.update(status=WebhookDelivery.Status.PENDING, attempts=0, error="")
        for pk in ids:
            deliver_webhook.delay(pk)
        message = ngettext(
            "Queued %(count)d failed delivery again.",
            "Queued %(count)d failed deliveries again.",
            len(ids),
        )
        self.message_user(request, message % {"count": len(ids)})
