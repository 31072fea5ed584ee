"""The rating pages: the signed link of the resolved mail, and the portal's form.

A GET only shows the form (mail scanners open every link); one POST records the rating
through `services.rating_record`. Any refusal is a page saying why, never an error 500.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incidents.choices import Channel
from incidents.exceptions import DomainError
from incidents.models import Incident
from portal import selectors as portal_selectors
from satisfaction.forms import RatingForm
from satisfaction.links import read_token
from satisfaction.selectors import rating_of
from satisfaction.services import check_rateable, rating_record

TEMPLATE = "satisfaction/rate.html"


def _refused(request, message: str, *, status: int, incident=None):
    return render(request, TEMPLATE, {"refusal": message, "incident": incident}, status=status)


def _form_page(request, incident, form, *, action: str, status: int = 200):
    context = {"incident": incident, "form": form, "action": action, "rating": rating_of(incident)}
    return render(request, TEMPLATE, context, status=status)


def _apply_errors(form: RatingForm, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@require_http_methods(["GET", "HEAD", "POST"])
def rate_by_link(request, token: str):
    """The page a rating link opens: the chosen score preselected, a comment box, and a
    button that records it. No sign-in needed: the signed link is the proof."""
    try:
        claim = read_token(token)
    except DomainError as error:
        return _refused(request, error.message, status=410 if error.code == "link_expired" else 400)
    incident = Incident.objects.filter(pk=claim.incident_id).first()
    if incident is None or incident.reporter_id != claim.user_id:
        return _refused(request, _("This rating link is no longer valid."), status=400)
    if request.user.is_authenticated and request.user.pk != claim.user_id:
        message = _(
            "This rating link was sent to someone else. Only the person who reported "
            "the incident can rate it."
        )
        return _refused(request, message, status=403)
    action = request.path
    if request.method != "POST":
        try:
            check_rateable(incident, rating_of(incident))
        except DomainError as error:
            return _refused(request, error.message, status=409, incident=incident)
        rating = rating_of(incident)
        initial = {"score": claim.score, "comment": rating.comment if rating else ""}
        return _form_page(request, incident, RatingForm(initial=initial), action=action)
    return _record(request, incident, token, action=action, via=Channel.EMAIL, done=action)


def _record(request, incident, user_or_token, *, action: str, via: str, done: str):
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rating_record(
                incident=incident,
                user_or_token=user_or_token,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                via=via,
            )
        except DomainError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you: your rating of %(number)s is recorded.")
                % {"number": incident.number},
            )
            return redirect(done)
    return _form_page(request, incident, form, action=action, status=400)


@login_required
@require_POST
def rate_in_portal(request, number: str):
    """The portal's rating form on the reporter's own incident page."""
    incident = portal_selectors.incident_for_user(request.user, number)
    action = reverse("satisfaction:rate-portal", args=[incident.number])
    done = f"{incident.get_absolute_url()}#rating-heading"
    return _record(request, incident, request.user, action=action, via=Channel.PORTAL, done=done)
