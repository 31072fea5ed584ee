"""Schedules in the responder workspace: managers edit them, responders look. Layers and
overrides are edited on the schedule's page, which previews the next two weeks; the
"Who is on call now" page lives in `now`."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from oncall import services
from oncall.admin.forms import LayerForm, OverrideForm
from oncall.admin.preview import preview_table
from oncall.models import Layer, Override, Schedule, validate_time_zone

OVERRIDES_KEPT = timedelta(days=7)  # past overrides older than this leave the inline


class LayerInline(admin.StackedInline):
    model = Layer
    form = LayerForm
    extra = 0
    min_num = 1
    ordering = ["position", "pk"]

    @admin.display(description=_("Participants"))
    def participants(self, obj):
        """Shown to those who may only look (editors get the form field)."""
        members = obj.members.select_related("user").order_by("position") if obj.pk else []
        return ", ".join(member.user.get_username() for member in members) or "-"


class OverrideInline(admin.TabularInline):
    model = Override
    form = OverrideForm
    extra = 0
    ordering = ["start"]

    def get_queryset(self, request):
        since = timezone.now() - OVERRIDES_KEPT
        return super().get_queryset(request).filter(end__gt=since).select_related("user")


def _zone(name: str | None):
    try:
        validate_time_zone(name or "")
    except ValidationError:
        return None
    return ZoneInfo(name)


@admin.register(Schedule)
class ScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "team", "time_zone"]
    list_select_related = ["team"]
    list_filter = ["team"]
    search_fields = ["name", "team__name"]
    fields = ["name", "team", "time_zone", "calendar_link", "preview"]
    readonly_fields = ["calendar_link", "preview"]
    inlines = [LayerInline, OverrideInline]
    actions = ["rotate_calendar_link"]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Times on this page are the schedule's local times: read and shown in its zone
        (the one being typed in, when a new schedule is saved)."""
        zone = _zone(request.POST.get("time_zone"))
        if zone is None and str(object_id or "").isdigit():
            schedule = Schedule.objects.filter(pk=object_id).only("time_zone").first()
            zone = schedule.tz if schedule else None
        with timezone.override(zone or timezone.get_current_timezone()):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # inside the zone: widgets format times as they render
        return response

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        zone_name = obj.time_zone if obj and obj.pk else ""
        return {**kwargs, "form_kwargs": {"zone_name": zone_name}}

    @admin.display(description=_("Calendar feed"))
    def calendar_link(self, obj):
        if not obj.pk:
            return "Available once the schedule is saved."
        path = reverse("oncall:schedule-calendar", args=[obj.calendar_token])
        return format_html(
            '<a href="{}"><code>{}</code></a><br><span class="help">Secret link for calendar '
            "apps, next eight weeks. Rotate it with the list action “Rotate calendar link” "
            "when it leaked.</span>",
            path,
            path,
        )

    @admin.display(description=_("Next two weeks"))
    def preview(self, obj):
        if not obj.pk:
            return "Save the schedule to see its shifts."
        if _zone(obj.time_zone) is None:  # a form being corrected (history, revert)
            return "Give a valid time zone to see the shifts."
        return preview_table(obj)

    def save_formset(self, request, form, formset, change):
        """Layers save with the form; their turn order goes through the service."""
        super().save_formset(request, form, formset, change)
        if formset.model is not Layer:
            return
        for layer_form in formset.forms:
            layer = layer_form.instance
            deleted = formset.can_delete and formset._should_delete_form(layer_form)
            if layer.pk and not deleted and layer_form.has_changed():
                services.layer_set_participants(
                    layer=layer, users=layer_form.cleaned_data["participants"]
                )

    @admin.action(description=_("Rotate calendar link"), permissions=["change"])
    def rotate_calendar_link(self, request, queryset):
        for schedule in queryset:
            services.schedule_rotate_calendar_token(schedule=schedule, actor=request.user)
        self.message_user(
            request,
            f"New calendar links for {queryset.count()} schedule(s); the old links stop working.",
            messages.SUCCESS,
        )
