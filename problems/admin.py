"""Admin of problems (with their incidents and recurrence suggestions) and runbooks."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from incidents.exceptions import DomainError
from incidents.visibility import about_visible_incidents
from itsm.admin_refusals import ServiceRefusalsAsMessages
from itsm.buttons import button_only_page
from problems import selectors, services
from problems.choices import PROBLEM_STATUS_COLOURS
from problems.markdown import render_markdown
from problems.models import Problem, ProblemLink, Runbook


class ProblemLinkInline(admin.TabularInline):
    """The incidents this problem caused; removing a row unlinks the incident."""

    model = ProblemLink
    extra = 0
    fields = ["incident_link", "incident_status", "linked_by", "linked_at"]
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # incidents are linked from the incident list ("Link to problem")

    def get_queryset(self, request):
        # Confidential incidents the viewer has no part in are not listed (the count in
        # the problem list still includes them: it names no incident).
        links = super().get_queryset(request).select_related("incident", "linked_by")
        return about_visible_incidents(links, request.user)

    @admin.display(description=_("incident"))
    def incident_link(self, link):
        return format_html(
            '<a href="{}">{}</a>: {}',
            link.incident.get_admin_url(),
            link.incident.number,
            link.incident.title,
        )

    @admin.display(description=_("status"))
    def incident_status(self, link):
        return link.incident.get_status_display()


class ProblemForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = list(services.EDITABLE_FIELDS)

    def clean(self):
        data = super().clean()
        documented = (data.get("root_cause") or "").strip() or (
            data.get("workaround") or ""
        ).strip()
        if data.get("known_error") and not documented:
            self.add_error(
                "known_error",
                _("Describe the root cause or a workaround before flagging a known error."),
            )
        return data


@admin.register(Problem)
class ProblemAdmin(ServiceRefusalsAsMessages, SimpleHistoryAdmin):
    form = ProblemForm
    list_display = ["number", "title", "status_badge", "known_error", "service", "incident_count"]
    list_filter = ["status", "known_error", "service"]
    list_select_related = ["service"]
    search_fields = ["number", "title", "root_cause", "workaround"]
    readonly_fields = ["number", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["number", "title", "status", "service", "owner", "description"]}),
        ("Cause and workaround", {"fields": ["root_cause", "workaround", "known_error"]}),
        ("Dates", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [ProblemLinkInline]
    change_list_template = "problems/admin/problem_change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(incident_total=Count("links"))

    @admin.display(description=_("incidents"), ordering="incident_total")
    def incident_count(self, problem):
        return problem.incident_total

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, problem):
        return format_html(
            '<span style="color:#fff;background:{};padding:1px 6px;border-radius:8px">{}</span>',
            PROBLEM_STATUS_COLOURS.get(problem.status, "#4b5563"),
            problem.get_status_display(),
        )

    def save_model(self, request, obj, form, change):
        """Delegates to the services; the form has already applied their rules."""
        values = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        if change:
            services.problem_update(problem=obj, actor=request.user, **values)
        else:
            created = services.problem_create(actor=request.user, **values)
            obj.pk, obj.number = created.pk, created.number

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for link in formset.deleted_objects:
            services.problem_unlink_incident(
                problem=link.problem, incident=link.incident, actor=request.user
            )

    def changelist_view(self, request, extra_context=None):
        extra = {"suggestions": selectors.recurrence_suggestions(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def get_urls(self):
        extra = [
            path(
                "suggestions/create/",
                self.admin_site.admin_view(self.create_from_suggestion),
                name="problems_problem_from_suggestion",
            )
        ]
        return extra + super().get_urls()

    def create_from_suggestion(self, request):
        """POST key=<suggestion key>: a new problem linking the suggested incidents."""
        if request.method != "POST":
            url = reverse("admin:problems_problem_changelist")
            return button_only_page(request, back_url=url, back_label=_("Go back to the problems"))
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            problem = services.problem_create_from_suggestion(
                key=request.POST.get("key", ""), actor=request.user
            )
        except DomainError as error:
            self.message_user(request, error.message, messages.WARNING)
            return redirect("admin:problems_problem_changelist")
        self.message_user(
            request, f"Created {problem.number} linking {problem.links.count()} incidents."
        )
        return redirect(problem.get_admin_url())


@admin.register(Runbook)
class RunbookAdmin(SimpleHistoryAdmin):
    list_display = ["title", "service", "category", "active", "updated_at"]
    list_filter = ["active", "service", "category"]
    list_select_related = ["service", "category", "category__parent"]
    search_fields = ["title", "body"]
    readonly_fields = ["preview"]
    fields = ["title", "service", "category", "active", "body", "preview"]

    @admin.display(description=_("preview"))
    def preview(self, runbook):
        return render_markdown(runbook.body) if runbook.pk else "Save to see the rendered plan."
