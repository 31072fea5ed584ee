"""The public status page: no login, no internal data, and cheap to serve in an outage.

It is the page everybody reloads while something is down, so its figures are computed at
most once every STATUS_SECONDS and shared by every web process through the cache: a
snapshot of the service states and major incidents, and, for visitors who are not signed
in (the page is then the same for all of them), the finished page. Any incident event
drops both as soon as it is dispatched, so a change shows within seconds; the page says
when its figures were taken, and they are never older than STATUS_SECONDS.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from portal import selectors

STATUS_SECONDS = 10
SNAPSHOT_KEY = "portal:status:snapshot"
PAGE_KEY = "portal:status:anonymous-page"


def _page_key() -> str:
    """Anonymous visitors see the page in their browser's language and the default zone."""
    return f"{PAGE_KEY}:{translation.get_language()}"


def status_changed(event=None) -> None:
    """Forget the cached snapshot and page (an incident event handler, see apps.py)."""
    pages = [f"{PAGE_KEY}:{code}" for code, _name in settings.LANGUAGES]
    cache.delete_many([SNAPSHOT_KEY, *pages])


def _snapshot() -> dict:
    snapshot = cache.get(SNAPSHOT_KEY)
    if snapshot is None:
        as_of = timezone.now()
        states = selectors.service_states()
        majors = list(selectors.ongoing_major_incidents())
        snapshot = {"states": states, "majors": majors, "as_of": as_of}
        cache.set(SNAPSHOT_KEY, snapshot, STATUS_SECONDS)
    return {**snapshot, "sections": _sections(snapshot)}


def _sections(snapshot: dict) -> str:
    """The shared part, rendered once per snapshot, language and time zone (its words and
    times differ by reader); a new snapshot has new keys, the old ones expire."""
    language, zone = translation.get_language(), timezone.get_current_timezone_name()
    key = f"portal:status:sections:{snapshot['as_of'].timestamp()}:{language}:{zone}"
    sections = cache.get(key)
    if sections is None:
        context = {"states": snapshot["states"], "majors": snapshot["majors"]}
        sections = render_to_string("portal/_status_sections.html", context)
        cache.set(key, sections, STATUS_SECONDS)
    return sections


@require_safe
@cache_control(public=True, max_age=STATUS_SECONDS)
def status_page(request):
    """Every active service with its state, and ongoing major incidents with the updates
    the service desk published."""
    anonymous = not request.user.is_authenticated
    if anonymous and (page := cache.get(_page_key())) is not None:
        return HttpResponse(page)
    snapshot = _snapshot()
    response = render(request, "portal/status.html", {**snapshot, "refresh": STATUS_SECONDS})
    if anonymous:
        age = (timezone.now() - snapshot["as_of"]).total_seconds()
        cache.set(_page_key(), response.content, max(1, int(STATUS_SECONDS - age)))
    return response
