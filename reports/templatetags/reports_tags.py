"""Display helpers of the reports page."""

from django import template

from itsm.durations import format_duration

register = template.Library()


@register.filter
def duration(seconds):
    """Seconds as "2 d 3 h", "3 h 20 min" or "12 min"; a dash when there is no value."""
    if seconds is None or seconds == "":
        return "–"
    return format_duration(max(round(float(seconds)), 0), seconds_under_a_minute=True)


@register.filter
def percent(value):
    return "–" if value is None else f"{value:g} %"
