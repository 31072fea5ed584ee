"""Pieces other pages include: the "Start a knowledge article" button of the incident page
and the knowledge section of the reports page."""

from django import template

from incidents.choices import Status
from knowledge import selectors

register = template.Library()


@register.inclusion_tag("knowledge/admin/_incident_button.html", takes_context=True)
def article_from_incident_button(context, incident):
    """Shown on resolved or closed incidents that are not confidential, to those who may
    write articles."""
    user = context["request"].user
    show = (
        incident is not None
        and incident.status in (Status.RESOLVED, Status.CLOSED)
        and not incident.confidential
        and user.has_perm("knowledge.add_article")
    )
    return {"show": show, "incident": incident, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("knowledge/admin/_deflection.html")
def article_deflection(start, end):
    """Per article: views, answers, reports filed after reading and the deflection rate."""
    rows = selectors.article_figures(start=start, end=end) if start and end else []
    return {"rows": rows}
