"""The user's incidents: the list and one incident with its public updates."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents import services, workflow
from incidents.choices import Channel, Status
from incidents.exceptions import DomainError
from portal import errors, selectors
from portal.forms import CommentForm, ReopenForm

PAGE_SIZE = 25
FILTERS = {"open": _("Open"), "closed": _("Closed"), "": _("All")}


@login_required
def incident_list(request):
    """Incidents the user reported or watches, filterable by `?status=open|closed`."""
    status = request.GET.get("status", "")
    status = status if status in FILTERS else ""
    page = Paginator(selectors.user_incidents(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "status": status, "filters": FILTERS}
    return render(request, "portal/incident_list.html", context)


def _reopen_until(incident):
    if not workflow.allows("reopen", incident.status) or not incident.resolved_at:
        return None
    return incident.resolved_at + settings.ITSM_REOPEN_WINDOW


def detail_context(request, incident, comment_form=None) -> dict:
    is_reporter, now = incident.reporter_id == request.user.pk, timezone.now()
    reopen_until = _reopen_until(incident)
    return {
        "incident": incident,
        "updates": selectors.public_updates(incident),
        "comment_form": comment_form or CommentForm(),
        "reopen_form": ReopenForm(),
        "is_reporter": is_reporter,
        "is_watcher": not is_reporter and selectors.is_following(request.user, incident),
        "can_comment": incident.status not in (Status.CLOSED, Status.CANCELLED),
        "can_close": is_reporter and workflow.allows("close", incident.status),
        "reopen_until": reopen_until,
        "can_reopen": is_reporter and reopen_until is not None and reopen_until > now,
        "resolution_overdue": bool(incident.resolution_due and incident.resolution_due < now),
    }


def _add_comment(request, incident, form) -> None:
    body, upload = form.cleaned_data["body"].strip(), form.cleaned_data["attachment"]
    files = [upload] if upload else []
    if body:
        services.incident_comment(
            incident=incident,
            author=request.user,
            body=body,
            files=files,
            public=True,
            via=Channel.PORTAL,
        )
    else:
        services.incident_attach(
            incident=incident, actor=request.user, files=files, via=Channel.PORTAL
        )


@login_required
def incident_detail(request, number):
    """Status, priority in plain words, team, expected resolution, public updates. POST adds
    a comment and/or a file; errors are shown next to the form with the text kept."""
    incident = selectors.incident_for_user(request.user, number)
    if request.method != "POST":
        return render(request, "portal/incident_detail.html", detail_context(request, incident))
    form = CommentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            _add_comment(request, incident, form)
        except DomainError as error:
            errors.form_error(form, error)
        else:
            return redirect(f"{incident.get_absolute_url()}#updates-end")
    context = detail_context(request, incident, comment_form=form)
    return render(request, "portal/incident_detail.html", context)
