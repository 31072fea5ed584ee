"""Admin of drills: the drill list, the "Start a drill" page and the drill page with its
review form and figures. Every write goes through `drills.services`."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from drills import selectors, services
from drills.forms import DrillReviewForm, DrillStartForm
from drills.models import Drill
from incidents.exceptions import DomainError
from incidents.practice import PRACTICE_LABEL
from incidents.roles import is_manager
from itsm.durations import format_duration


def _duration(seconds) -> str:
    if seconds is None:
        return _("not reached")
    return format_duration(seconds, seconds_under_a_minute=True)


@admin.register(Drill)
class DrillAdmin(SimpleHistoryAdmin):
    form = DrillReviewForm
    change_form_template = "admin/drills/drill/change_form.html"
    change_list_template = "admin/drills/drill/change_list.html"
    list_display = [
        "incident_column",
        "source_name",
        "started_by",
        "started_at",
        "ended_at",
        "engage",
        "acknowledge",
        "checklist",
    ]
    list_display_links = ["incident_column"]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["incident_column", "source_name", "started_by", "started_at",
                           "ended_at", "participant_list", "include_end_user"]}),
        (gettext_lazy("Figures of the exercise"),
         {"fields": ["engage", "acknowledge", "checklist"]}),
        (gettext_lazy("Review"), {"fields": ["went_well", "to_change"]}),
    ]  # fmt: skip
    readonly_fields = [
        "incident_column",
        "source_name",
        "started_by",
        "started_at",
        "ended_at",
        "participant_list",
        "include_end_user",
        "engage",
        "acknowledge",
        "checklist",
    ]

    def get_queryset(self, request):
        return selectors.drill_list()

    def has_add_permission(self, request):
        return False  # drills start on their own page ("Start a drill")

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return is_manager(request.user)

    @admin.display(description=gettext_lazy("Practice incident"), ordering="incident__number")
    def incident_column(self, drill):
        return format_html(
            '<span class="itsm-practice">{}</span> <a href="{}">{}</a> {}',
            PRACTICE_LABEL,
            drill.incident.get_admin_url(),
            drill.incident.number,
            drill.incident.title,
        )

    @admin.display(description=gettext_lazy("Plan or template"))
    def source_name(self, drill):
        return drill.source_name

    @admin.display(description=gettext_lazy("Participants"))
    def participant_list(self, drill):
        return ", ".join(user.get_username() for user in drill.participants.all())

    @admin.display(description=gettext_lazy("Time to engage"))
    def engage(self, drill):
        return "" if drill.is_running else _duration(drill.engage_seconds)

    @admin.display(description=gettext_lazy("Time to acknowledge"))
    def acknowledge(self, drill):
        return "" if drill.is_running else _duration(drill.acknowledge_seconds)

    @admin.display(description=gettext_lazy("Checklist completion"))
    def checklist(self, drill):
        if drill.is_running:
            return ""
        percent = drill.checklist_percent
        if percent is None:
            return _("no checklist")
        return _("%(percent)s%% (%(done)s of %(total)s steps)") % {
            "percent": percent,
            "done": drill.checklist_done,
            "total": drill.checklist_total,
        }

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = dict(actor=request.user, went_well=data["went_well"], to_change=data["to_change"])
        if obj.is_running and "_end_drill" in request.POST:
            services.drill_end(drill=obj, **fields)
            self.message_user(request, _("The drill has ended; its figures are stored."))
        else:
            services.drill_review(drill=obj, **fields)

    def get_urls(self):
        start = path(
            "start/", self.admin_site.admin_view(self.start_view), name="drills_drill_start"
        )
        return [start, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_start": is_manager(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def start_view(self, request):
        """Managers pick a plan or a template, the participants and maybe an end user."""
        if not is_manager(request.user):
            raise PermissionDenied
        form = DrillStartForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                drill = services.drill_start(manager=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                self.message_user(
                    request,
                    _("Drill started: %(number)s pages its participants now.")
                    % {"number": drill.incident.number},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:drills_drill_change", args=[drill.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Start a drill"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/drills/drill/start.html", context)
