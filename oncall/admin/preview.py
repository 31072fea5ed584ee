"""The readable two-week preview on a schedule's change page."""

from datetime import timedelta

from django.utils import timezone
from django.utils.html import format_html, format_html_join

from oncall.selectors import shifts_between

PREVIEW = timedelta(weeks=2)
WHEN = "%a %d %b %Y, %H:%M"


def local(moment, schedule) -> str:
    return moment.astimezone(schedule.tz).strftime(WHEN)


def preview_table(schedule, now=None) -> str:
    """The final shifts of the next two weeks, in the schedule's local time."""
    now = now or timezone.now()
    shifts = shifts_between(schedule, now, now + PREVIEW)
    if not shifts:
        return format_html("<p>Nobody is on call in the next two weeks.</p>")
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                shift.user.get_username(),
                local(shift.start, schedule),
                local(shift.end, schedule),
                "override" if shift.source == "override" else "",
            )
            for shift in shifts
        ),
    )
    return format_html(
        '<table class="oncall-preview"><thead><tr><th>Who</th><th>From ({})</th>'
        "<th>To ({})</th><th></th></tr></thead><tbody>{}</tbody></table>",
        schedule.time_zone,
        schedule.time_zone,
        rows,
    )
