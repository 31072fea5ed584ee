"""Template tags that put ratings where other apps' pages and mails are."""

from django import template

from incidents.choices import Status
from satisfaction.forms import RatingForm
from satisfaction.links import rating_url
from satisfaction.models import SCORES
from satisfaction.selectors import rating_of
from satisfaction.services import RATEABLE

register = template.Library()


@register.simple_tag
def rating_links(incident) -> list[tuple[int, str, str]]:
    """(score, label, signed link) for each score, for the reporter of `incident`."""
    if not incident.reporter_id:
        return []
    reporter = incident.reporter_id
    return [
        (score, label, rating_url(incident_id=incident.pk, user_id=reporter, score=score))
        for score, label in SCORES
    ]


@register.inclusion_tag("satisfaction/_portal_rating_box.html", takes_context=True)
def portal_rating(context, incident) -> dict:
    """The reporter's rating box on their resolved (or closed) incident's portal page."""
    user = context.get("user")
    shown = bool(user and user.is_authenticated and incident.reporter_id == user.pk)
    shown = shown and incident.status in RATEABLE
    rating = rating_of(incident) if shown else None
    initial = {"score": rating.score, "comment": rating.comment} if rating else {}
    return {
        "shown": shown,
        "incident": incident,
        "rating": rating,
        "can_change": incident.status == Status.RESOLVED,
        "form": RatingForm(initial=initial),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("satisfaction/admin/_incident_rating_box.html")
def admin_rating(incident) -> dict:
    """The rating section of the incident's admin page (staff)."""
    known_empty = getattr(incident, "has_rating", None) is False  # read by the change page
    return {"incident": incident, "rating": None if known_empty else rating_of(incident)}
