"""Admin of chat and push: managers keep team channels, every responder their own contact
methods and rules. A stored URL or target is shown masked only, to everyone: pages that
cannot edit it show the masked form in its place, edit pages an empty password input."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from incidents.roles import is_manager
from messaging import apprise_urls
from messaging.delivery import DeliveryError
from messaging.forms import ContactMethodForm, ContactRuleForm, TeamChannelForm
from messaging.models import (
    ChannelMessage,
    ContactKind,
    ContactMethod,
    ContactRule,
    MessageStatus,
    TeamChannel,
)
from messaging.services import (
    channel_messages_retry,
    contact_method_save,
    contact_rule_save,
    team_channel_save,
    team_channel_test,
)


class SecretFieldMixin:
    """Puts the masked value (`masked_field`) in place of `write_only_field` wherever the page
    would display the stored value instead of an empty input."""

    write_only_field = ""
    masked_field = ""

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != self.masked_field]
        if obj is None:
            return fields
        if not self.has_change_permission(request, obj):
            return [self.masked_field if f == self.write_only_field else f for f in fields]
        position = fields.index(self.write_only_field)
        return [*fields[:position], self.masked_field, *fields[position:]]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), self.masked_field]


@admin.register(TeamChannel)
class TeamChannelAdmin(SecretFieldMixin, SimpleHistoryAdmin):
    form = TeamChannelForm
    write_only_field, masked_field = "url", "stored_url"
    list_display = ["name", "team", "stored_url", "min_priority", "active"]
    list_filter = ["active", "team", "min_priority"]
    list_select_related = ["team"]
    search_fields = ["name", "team__name"]
    autocomplete_fields = ["team"]
    actions = ["send_test_message"]
    fields = [
        "team",
        "name",
        "url",
        "min_priority",
        "on_created",
        "on_escalated",
        "on_major_declared",
        "on_resolved",
        "active",
    ]

    @admin.display(description=_("URL"))
    def stored_url(self, channel):
        return apprise_urls.mask(channel.url)

    def save_model(self, request, obj, form, change):
        team_channel_save(channel=obj, actor=request.user)

    @admin.action(description=_("Send a test message"), permissions=["change"])
    def send_test_message(self, request, queryset):
        for channel in queryset.select_related("team"):
            try:
                team_channel_test(channel=channel, actor=request.user)
            except DeliveryError as error:
                message = _("%(channel)s: %(error)s") % {"channel": channel, "error": error.message}
                self.message_user(request, message, messages.ERROR)
            else:
                message = _("%(channel)s: test message sent.") % {"channel": channel}
                self.message_user(request, message, messages.SUCCESS)


class OwnRowsAdmin(admin.ModelAdmin):
    """Each person manages their own rows; incident managers may look at everyone's."""

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows if is_manager(request.user) else rows.filter(user=request.user)

    def _own(self, request, obj) -> bool:
        return obj is None or obj.user_id == request.user.pk

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._own(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._own(request, obj)


@admin.register(ContactMethod)
class ContactMethodAdmin(SecretFieldMixin, OwnRowsAdmin):
    form = ContactMethodForm
    write_only_field, masked_field = "target", "stored_target"
    list_display = ["label", "kind", "stored_target", "user", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["user"]
    search_fields = ["label", "user__username"]
    fields = ["kind", "label", "target", "active"]

    @admin.display(description=_("target"))
    def stored_target(self, method):
        if method.kind == ContactKind.EMAIL:
            return apprise_urls.mask_email(method.target)
        return apprise_urls.mask(method.target)

    def save_model(self, request, obj, form, change):
        contact_method_save(method=obj, user=request.user)


@admin.register(ContactRule)
class ContactRuleAdmin(OwnRowsAdmin):
    form = ContactRuleForm
    list_display = ["__str__", "user", "delay_minutes"]
    list_select_related = ["user", "contact_method"]
    fields = ["priorities", "contact_method", "delay_minutes"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contact_method":
            kwargs["queryset"] = ContactMethod.objects.filter(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        contact_rule_save(rule=obj, user=request.user)


@admin.register(ChannelMessage)
class ChannelMessageAdmin(admin.ModelAdmin):
    """What was posted to which channel, and why a message failed."""

    list_display = ["title", "channel", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["channel__team"]
    search_fields = ["title", "incident__number"]
    readonly_fields = [
        "channel",
        "incident",
        "event",
        "kind",
        "title",
        "body",
        "status",
        "attempts",
        "due_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
    ]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send failed messages again"), permissions=["change"])
    def retry(self, request, queryset):
        failed = queryset.filter(status=MessageStatus.FAILED).values_list("pk", flat=True)
        count = channel_messages_retry(message_ids=list(failed))
        message = ngettext(
            "%(count)d message will be sent again.", "%(count)d messages will be sent again.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
