"""One-button actions on an incident: close, reopen, follow, stop following."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from incidents import services
from incidents.choices import Channel
from incidents.exceptions import DomainError
from incidents.visibility import may_confirm
from itsm.buttons import post_only
from portal import errors, selectors
from portal.forms import ReopenForm


def _to_incident(request, number):
    return reverse("portal:incident-detail", args=[number]), "Go back to the incident"


button = post_only(back=_to_incident)


def _reporter_only(request, incident) -> None:
    """The portal's close and reopen are the reporter's confirmation (`may_confirm`);
    anyone else gets the same 404 as for a stranger's incident."""
    if not may_confirm(request.user, incident):
        raise Http404("Only the person who reported it can do this.")


@login_required
@button
def incident_close(request, number):
    incident = selectors.incident_for_user(request.user, number)
    _reporter_only(request, incident)
    try:
        services.incident_close(incident=incident, actor=request.user, via=Channel.PORTAL)
    except DomainError as error:
        errors.message_error(request, error)
    else:
        messages.success(
            request, _("Thank you: %(number)s is closed.") % {"number": incident.number}
        )
    return redirect(incident)


@login_required
@button
def incident_reopen(request, number):
    """Still broken: reopen, and add what is still wrong as a comment the team sees."""
    incident = selectors.incident_for_user(request.user, number)
    _reporter_only(request, incident)
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"].strip() if form.is_valid() else ""
    try:
        with transaction.atomic():
            services.incident_reopen(
                incident=incident, actor=request.user, via=Channel.PORTAL, reason=reason
            )
            if reason:
                services.incident_comment(
                    incident=incident,
                    author=request.user,
                    body=reason,
                    public=True,
                    via=Channel.PORTAL,
                )
    except DomainError as error:
        errors.message_error(request, error)
    else:
        messages.success(
            request,
            _("%(number)s is reopened; the team will look again.") % {"number": incident.number},
        )
    return redirect(incident)


@login_required
@button
def incident_follow(request, number):
    """Follow an incident already known (instead of reporting the same problem again)."""
    incident = selectors.incident_to_follow(request.user, number)
    try:
        added = services.incident_watch(
            incident=incident, user=request.user, actor=request.user, via=Channel.PORTAL
        )
    except DomainError as error:
        errors.message_error(request, error)
        return redirect("portal:home")
    if added:
        messages.success(
            request,
            _(
                "You now follow %(number)s: you will hear about its progress, "
                "and you do not need to report it again."
            )
            % {"number": incident.number},
        )
    else:
        messages.info(request, _("You already follow %(number)s.") % {"number": incident.number})
    return redirect(incident)


@login_required
@button
def incident_unfollow(request, number):
    incident = selectors.incident_for_user(request.user, number)
    if incident.reporter_id == request.user.pk:
        messages.info(request, _("You reported this incident, so you will keep hearing about it."))
        return redirect(incident)
    services.incident_unwatch(incident=incident, user=request.user)
    messages.success(request, _("You no longer follow %(number)s.") % {"number": incident.number})
    return redirect("portal:incident-list")
