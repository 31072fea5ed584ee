"""The "Link to problem" action on the incident list, installed on whichever incident admin
is registered (see ProblemsConfig.ready)."""

from types import MethodType

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from incidents.exceptions import DomainError
from problems import services
from problems.choices import ACTIVE_PROBLEM_STATUSES
from problems.models import Problem

PERMISSION = "problems.change_problem"


class LinkToProblemForm(forms.Form):
    """Pick an active problem, or name a new one."""

    problem = forms.ModelChoiceField(
        queryset=Problem.objects.filter(status__in=ACTIVE_PROBLEM_STATUSES),
        required=False,
        empty_label=_("— a new problem —"),
    )
    new_title = forms.CharField(max_length=200, required=False, label=_("Title of the new problem"))

    def clean(self):
        data = super().clean()
        if not data.get("problem") and not (data.get("new_title") or "").strip():
            raise forms.ValidationError(_("Choose a problem or give the new one a title."))
        return data


@admin.action(description=_("Link to problem"), permissions=["link_problem"])
def link_to_problem(modeladmin, request, queryset):
    """First call shows the form; the confirmed form links every selected incident."""
    form = LinkToProblemForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        try:
            problem = form.cleaned_data["problem"] or services.problem_create(
                title=form.cleaned_data["new_title"], actor=request.user
            )
            linked, already = services.problem_link_incidents(
                problem=problem, incidents=queryset, actor=request.user
            )
        except DomainError as error:
            modeladmin.message_user(request, error.message, messages.ERROR)
            return None
        _report(modeladmin, request, problem, linked, already)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Link incidents to a problem",
        "form": form,
        "incidents": queryset.values("pk", "number", "title"),
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "problems/admin/link_to_problem.html", context)


def _report(modeladmin, request, problem, linked, already):
    if linked:
        modeladmin.message_user(
            request, f"Linked {', '.join(linked)} to {problem}.", messages.SUCCESS
        )
    if already:
        modeladmin.message_user(
            request, f"Already linked to {problem.number}: {', '.join(already)}.", messages.INFO
        )


def _has_link_problem_permission(self, request) -> bool:
    return request.user.has_perm(PERMISSION)


def install_incident_action(site) -> bool:
    """Add the action to the registered incident admin; False when there is none."""
    from incidents.models import Incident

    model_admin = site._registry.get(Incident)
    if model_admin is None:
        return False
    actions = list(model_admin.actions or [])
    if link_to_problem not in actions:
        model_admin.actions = [*actions, link_to_problem]
    if not hasattr(model_admin, "has_link_problem_permission"):
        model_admin.has_link_problem_permission = MethodType(
            _has_link_problem_permission, model_admin
        )
    return True
