"""The iCalendar feeds: no login, the secret token in the URL is the credential."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from incidents.roles import can_work_incidents
from oncall.calendars import HORIZON, calendar_of
from oncall.models import CalendarFeed
from oncall.selectors import schedules_for_timeline, shifts_between, shifts_of_user


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    # The URL is a secret: no shared cache may keep the answer.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def schedule_calendar(request, token: str):
    """The schedule's final shifts for the next eight weeks."""
    schedule = get_object_or_404(schedules_for_timeline(), calendar_token=token)
    now = timezone.now()
    shifts = shifts_between(schedule, now, now + HORIZON)
    body = calendar_of(shifts, name=f"On call: {schedule.name}", domain=request.get_host())
    return _ics(body, f"oncall-{schedule.pk}")


@require_GET
def user_calendar(request, token: str):
    """The shifts of one person across every schedule, for the next eight weeks. Only for
    staff who still work incidents: a former responder's old link stops working."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not can_work_incidents(feed.user):
        raise Http404("No such calendar.")
    now = timezone.now()
    shifts = shifts_of_user(feed.user, now, now + HORIZON)
    name = f"My on-call shifts ({feed.user.get_username()})"
    return _ics(calendar_of(shifts, name=name, domain=request.get_host()), "my-oncall")
