"""Admin of response plans (with engaged teams, communications and checklist steps),
incident templates (with their steps) and message templates. Managers write them;
responders read them. The checklist on an incident and the template pickers are part of the
incident pages (`preparedness.admin_incident`, `preparedness_tags`)."""

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from incidents.choices import Priority
from preparedness.models import (
    CommunicationStep,
    Engagement,
    IncidentTemplate,
    MessageTemplate,
    PlanStep,
    ResponsePlan,
    TemplateStep,
)
from preparedness.services import PLACEHOLDER, PLACEHOLDERS


def priorities_field(label, help_text, required=False):
    return forms.MultipleChoiceField(
        label=label,
        choices=Priority.choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        help_text=help_text,
    )


class ResponsePlanForm(forms.ModelForm):
    trigger_priorities = priorities_field(
        _("Trigger priorities"),
        _(
            "Incidents reaching these priorities get the checklist; "
            "a major declaration always does."
        ),
    )

    class Meta:
        model = ResponsePlan
        fields = ["name", "service", "lead_team", "lead_role", "trigger_priorities", "active"]


class EngagementForm(forms.ModelForm):
    priorities = priorities_field(
        _("Priorities"), _("Engage this team at these priorities (and when declared major).")
    )

    class Meta:
        model = Engagement
        fields = ["team", "priorities"]


class EngagementInline(admin.TabularInline):
    model = Engagement
    form = EngagementForm
    extra = 0
    autocomplete_fields = ["team"]


class CommunicationInline(admin.TabularInline):
    model = CommunicationStep
    extra = 0
    fields = ["audience", "cadence_minutes", "template"]


WIDE_TEXT = {models.CharField: {"widget": forms.TextInput(attrs={"size": 70})}}


class PlanStepInline(admin.TabularInline):
    model = PlanStep
    extra = 1
    fields = ["position", "text", "owner_role"]
    formfield_overrides = WIDE_TEXT


@admin.register(ResponsePlan)
class ResponsePlanAdmin(SimpleHistoryAdmin):
    """A plan per service, or the default plan (no service)."""

    form = ResponsePlanForm
    list_display = ["name", "service", "lead_team", "lead_role", "active"]
    list_filter = ["active"]
    list_select_related = ["service", "lead_team"]
    search_fields = ["name", "service__name"]
    autocomplete_fields = ["service", "lead_team"]
    inlines = [EngagementInline, CommunicationInline, PlanStepInline]


class TemplateStepInline(admin.TabularInline):
    model = TemplateStep
    extra = 1
    fields = ["position", "text", "owner_role"]
    formfield_overrides = WIDE_TEXT


@admin.register(IncidentTemplate)
class IncidentTemplateAdmin(SimpleHistoryAdmin):
    """Ready-made incidents; "Use" opens the add page prefilled from one."""

    list_display = ["name", "slug", "title", "service", "impact", "urgency", "public", "active"]
    list_display += ["use_link"]
    list_filter = ["public", "active"]
    list_select_related = ["service"]
    search_fields = ["name", "slug", "title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["service", "category"]
    inlines = [TemplateStepInline]

    @admin.display(description=_("Use"))
    def use_link(self, template):
        if not template.active:
            return "-"
        url = reverse("admin:incidents_incident_add") + "?" + urlencode({"template": template.slug})
        return format_html('<a href="{}">{}</a>', url, _("Log an incident from it"))


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["name", "slug", "stage", "subject", "body", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        if "body" in self.fields:  # absent for those who may only view templates
            self.fields["body"].help_text = _("Placeholders: %(names)s.") % {"names": names}

    def _check_placeholders(self, name):
        text = self.cleaned_data.get(name) or ""
        unknown = sorted({m.group(1) for m in PLACEHOLDER.finditer(text)} - set(PLACEHOLDERS))
        if unknown:
            self.add_error(
                name,
                _("Unknown placeholder(s): %(names)s. Use one of the listed ones.")
                % {"names": ", ".join("{" + n + "}" for n in unknown)},
            )

    def clean(self):
        data = super().clean()
        self._check_placeholders("subject")
        self._check_placeholders("body")
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(SimpleHistoryAdmin):
    form = MessageTemplateForm
    list_display = ["name", "stage", "subject", "active"]
    list_filter = ["stage", "active"]
    search_fields = ["name", "slug", "body"]
    prepopulated_fields = {"slug": ["name"]}
