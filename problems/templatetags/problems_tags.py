"""Template pieces other pages include: recurrence suggestions (dashboard), known errors of
a service (portal), runbooks of an incident (incident page), and a safe markdown filter."""

from django import template
from django.core.cache import cache

from problems import selectors
from problems.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


# Suggestions are advice about the last 30 days: a minute old is as good as new, and the
# dashboard, which every responder opens all day, does not recount the window each time.
SUGGESTIONS_CACHE_KEY = "problems:recurrence-suggestions"
SUGGESTIONS_CACHE_SECONDS = 60


@register.inclusion_tag("problems/_suggestions.html", takes_context=True)
def recurrence_suggestions(context):
    suggestions = cache.get(SUGGESTIONS_CACHE_KEY)
    if suggestions is None:
        suggestions = selectors.recurrence_suggestions()
        cache.set(SUGGESTIONS_CACHE_KEY, suggestions, SUGGESTIONS_CACHE_SECONDS)
    return {
        "suggestions": suggestions,
        "perms": context.get("perms"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("problems/_known_errors.html")
def known_errors(service):
    return {"known_errors": selectors.known_errors_for_service(service), "service": service}


@register.inclusion_tag("problems/_runbooks.html")
def incident_runbooks(incident):
    return {"runbooks": selectors.runbooks_for_incident(incident)}
