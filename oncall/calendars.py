"""iCalendar feeds of final shifts, written with the `icalendar` library.

One VEVENT per shift, times in UTC. A shift's UID is made of the schedule, the layer shift
or override it comes from and its start, so it stays the same from one fetch to the next
(calendar clients update events in place) until the schedule itself changes.
"""

from datetime import UTC, timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from oncall.selectors import Shift

HORIZON = timedelta(weeks=8)
PRODID = "-//IT Service Desk//On-call schedules//EN"


def shift_uid(shift: Shift, domain: str) -> str:
    parts = shift.key if isinstance(shift.key, tuple) else (shift.key,)
    origin = "-".join(str(part) for part in parts)
    start = shift.start.astimezone(UTC)
    return f"oncall-{shift.schedule.pk}-{shift.source}-{origin}-{start:%Y%m%dT%H%M%SZ}@{domain}"


def shift_summary(shift: Shift) -> str:
    return f"On call: {shift.schedule.name} ({shift.user.get_username()})"


def calendar_of(shifts: list[Shift], *, name: str, domain: str) -> bytes:
    """The feed as bytes (text/calendar)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for shift in shifts:
        event = Event()
        event.add("uid", shift_uid(shift, domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.start.astimezone(UTC))
        event.add("dtend", shift.end.astimezone(UTC))
        event.add("summary", shift_summary(shift))
        if shift.source == "override":
            event.add("categories", ["Override"])
        calendar.add_component(event)
    return calendar.to_ical()
