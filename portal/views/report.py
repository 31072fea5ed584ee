"""Reporting a problem: the form, the "already known" check and the confirmation page."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET

from incidents import services
from incidents.catalog_cache import prefetch_for_create
from incidents.choices import Channel
from incidents.exceptions import DomainError
from incidents.models import Service
from itsm.text import text_problem
from knowledge import selectors as knowledge
from knowledge import services as knowledge_services
from portal import errors, ratelimit, selectors
from portal.forms import ReportForm
from preparedness.selectors import public_template_initial
from profiles.services import profile_remember_language

MAX_ID_DIGITS = 18  # always within a bigint


KNOWN_SHOWN = 5  # enough to recognise one's problem; the offer stays one cheap query


def _known_on(service) -> list:
    return list(selectors.known_incidents(service=service)[:KNOWN_SHOWN]) if service else []


def _known_for(data) -> list:
    """On the chosen service, its ongoing incidents; on none ("not sure"), the ongoing
    incidents that sound like the title."""
    if data["service"]:
        return _known_on(data["service"])
    return selectors.known_incidents_like(data["title"], limit=KNOWN_SHOWN)


def _render(request, form, known=(), status=200, articles=()):
    context = {
        "form": form,
        "known": known,
        "articles": articles,
        # Found by the title's words rather than by the chosen service.
        "alike": bool(known) and form.is_bound and not form.cleaned_data.get("service"),
        "following": selectors.followed_numbers(request.user, known),
    }
    return render(request, "portal/report.html", context, status=status)


def _create(request, form):
    data = form.cleaned_data
    return services.incident_create(
        title=data["title"],
        description=data["description"],
        service=data["service"],
        impact=data["impact"],
        urgency=data["urgency"],
        files=form.uploads(),
        reporter=request.user,
        via=Channel.PORTAL,
    )


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS


@login_required
def report(request):
    """GET shows the form (`?service=<slug or id>` preselects one, `?template=<slug>` fills
    it from a public incident template). POST first offers to
    follow an ongoing incident on the chosen service, then creates the incident."""
    if request.method != "POST":
        initial = public_template_initial(request.GET.get("template"))
        initial.update(_preselected(request.GET.get("service")))
        return _render(request, ReportForm(initial=initial))
    prefetch_for_create()
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form)
    if not form.cleaned_data["confirm_new"]:
        # Offered once; a reporter who saw the offer and confirmed is not asked again.
        known = _known_for(form.cleaned_data)
        articles = knowledge.suggested_articles(request.user, form.cleaned_data["title"])
        if known or articles:
            return _render(request, form, known=known, articles=articles)
    if not ratelimit.claim_report(request.user):
        form.add_error(None, ratelimit.refusal_message())
        return _render(request, form, status=429)
    try:
        incident = _create(request, form)
    except DomainError as error:
        ratelimit.release_report(request.user)
        errors.form_error(form, error)
        return _render(request, form)
    knowledge_services.reports_after_reading(session=request.session, incident=incident)
    _remember_language(request)
    return redirect("portal:report-done", number=incident.number)


def _remember_language(request) -> None:
    """At a first report, keep the browser's language for the e-mails that follow."""
    if request.headers.get("Accept-Language"):
        language = translation.get_language_from_request(request)
        profile_remember_language(user=request.user, language=language)


def _preselected(value) -> dict:
    """The service `?service=` names by slug or id; nothing for a value that can be
    neither (NUL, a number past any id)."""
    if not value or text_problem(value):
        return {}
    lookup = Q(slug=value) | Q(pk=value) if _is_id(value) else Q(slug=value)
    service = Service.objects.filter(lookup, active=True).first()
    return {"service": service} if service else {}


@login_required
@require_GET
def known_fragment(request):
    """The "already known" panel for one service (or, with none, for the typed `title`)
    and the knowledge articles the title suggests, fetched by the report form's script
    while the service or title changes (without JavaScript the POST above shows the same
    panel)."""
    value, title = request.GET.get("service", ""), request.GET.get("title", "")[:200]
    known = _known_on(value) if _is_id(value) else []
    if not value and title:
        known = selectors.known_incidents_like(title, limit=KNOWN_SHOWN)
    context = {
        "known": known,
        "alike": bool(known) and not value,
        "following": selectors.followed_numbers(request.user, known),
        "articles": knowledge.suggested_articles(request.user, title),
    }
    return render(request, "portal/_known.html", context)


@login_required
def report_done(request, number):
    """The new number and what happens next."""
    incident = selectors.incident_for_user(request.user, number)
    return render(request, "portal/report_done.html", {"incident": incident})
