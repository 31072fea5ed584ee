"""The intermediate page shared by list actions and change-page buttons that need input
(resolution code and notes, hold reason, assignee, merge primary)."""

from django.template.response import TemplateResponse

TEMPLATE = "admin/incidents/incident/intermediate.html"
NUMBERS_SHOWN = 50


def intermediate_page(
    model_admin,
    request,
    *,
    title: str,
    incidents: list,
    form,
    submit: str,
    cancel_url: str,
    action: str = "",
    form_url: str = "",
    intro: str = "",
) -> TemplateResponse:
    """Ask for input about `incidents`; the page posts back with `_confirm` set.

    With `action`, it posts to the changelist as that admin action (the selected ids go
    along); otherwise to `form_url` (a change-page button)."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "opts": model_admin.opts,
        "incidents": incidents[:NUMBERS_SHOWN],
        "more": max(len(incidents) - NUMBERS_SHOWN, 0),
        "selected": [incident.pk for incident in incidents] if action else [],
        "form": form,
        "media": model_admin.media + form.media,
        "submit_label": submit,
        "action": action,
        "form_url": form_url,
        "cancel_url": cancel_url,
    }
    return TemplateResponse(request, TEMPLATE, context)
