"""The preparedness page of the workspace (registered with `admin.site.register_page`):
what is not ready before an incident happens."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from preparedness.selectors import EXERCISE_WINDOW, preparedness

# Managers write plans; the page is theirs (responders see plans but not this page).
PERMISSION = "preparedness.change_responseplan"


def preparedness_view(request: HttpRequest, context: dict) -> HttpResponse:
    """Services without a response plan of their own or a runbook, teams nobody on call
    can be reached for now, and plans not exercised in the last 90 days."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    context = {
        **context,
        "title": _("Preparedness"),
        "report": preparedness(),
        "window_days": EXERCISE_WINDOW.days,
    }
    return render(request, "preparedness/admin/preparedness.html", context)
