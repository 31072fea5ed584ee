"""Escalation policies for managers; escalations and pages as read-only records."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.admin.users import assignable_users, user_label
from incidents.choices import Priority
from itsm.forms import ModelMultipleChoiceField
from paging.models import Escalation, EscalationPolicy, EscalationStep, Page


class PolicyForm(forms.ModelForm):
    page_priorities = forms.MultipleChoiceField(
        choices=Priority.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "These page at once and escalate; other priorities only notify step 1 "
            "by e-mail. A major incident always pages."
        ),
    )

    class Meta:
        model = EscalationPolicy
        fields = ["team", "name", "page_priorities", "repeat", "active"]


class StepForm(forms.ModelForm):
    users = ModelMultipleChoiceField(
        queryset=assignable_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Named people (responders and managers)."),
    )

    class Meta:
        model = EscalationStep
        fields = [
            "position",
            "delay_minutes",
            "schedules",
            "users",
            "team_lead",
            "incident_managers",
        ]
        widgets = {"schedules": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = assignable_users()
        self.fields["users"].label_from_instance = user_label

    def clean_delay_minutes(self):
        delay = self.cleaned_data["delay_minutes"]
        if delay < 1:
            raise forms.ValidationError(_("Wait at least one minute before the next step."))
        return delay

    def clean(self):
        data = super().clean()
        targets = [
            data.get("schedules"),
            data.get("users"),
            data.get("team_lead"),
            data.get("incident_managers"),
        ]
        if not any(targets) and not data.get("DELETE"):
            raise forms.ValidationError(
                _(
                    "Choose who this step pages: a schedule's on-call, people, the team lead or "
                    "the incident managers."
                )
            )
        return data


class StepInline(admin.StackedInline):
    model = EscalationStep
    form = StepForm
    extra = 0
    min_num = 1
    ordering = ["position", "pk"]


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    """One policy per team: ordered steps, each paging its targets, then waiting."""

    form = PolicyForm
    inlines = [StepInline]
    list_display = ["__str__", "team", "steps", "repeat", "paging", "active"]
    list_filter = ["active"]
    list_select_related = ["team"]
    search_fields = ["name", "team__name"]
    autocomplete_fields = ["team"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(step_count=Count("steps"))

    @admin.display(description=_("steps"), ordering="step_count")
    def steps(self, policy):
        return policy.step_count

    @admin.display(description=_("pages for"))
    def paging(self, policy):
        return ", ".join(sorted(policy.page_priorities or [])) or "nothing (notify only)"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["incident", "policy", "reason", "state", "next_step", "due_at", "stop_reason"]
    list_filter = ["state", "reason"]
    list_select_related = ["incident", "policy__team"]
    search_fields = ["incident__number"]
    show_full_result_count = False

    @admin.display(description=_("next step"))
    def next_step(self, escalation):
        return f"step {escalation.step + 1}, pass {escalation.cycle + 1}"


@admin.register(Page)
class PageAdmin(ReadOnlyAdmin):
    list_display = [
        "incident",
        "user",
        "kind",
        "step_label",
        "status",
        "due_at",
        "sent_at",
        "answered",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["incident", "user"]
    search_fields = ["incident__number", "user__username"]
    exclude = ["dedup_key"]
    show_full_result_count = False

    @admin.display(description=_("step"))
    def step_label(self, page):
        return "major" if page.step is None else f"{page.step + 1} (pass {page.cycle + 1})"

    @admin.display(description=_("answered"), boolean=True)
    def answered(self, page):
        return page.link_used_at is not None
