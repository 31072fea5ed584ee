"""Display helpers of the reports page."""

from django import template

register = template.Library()


@register.filter
def duration(seconds):
    """Seconds as "2 d 3 h", "3 h 20 min" or "12 min"; a dash when there is no value."""
    if seconds is None or seconds == "":
        return "–"
    seconds = int(round(float(seconds)))
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min" if minutes else f"{seconds} s"


@register.filter
def percent(value):
    return "–" if value is None else f"{value:g} %"
