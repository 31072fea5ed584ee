"""The public status page: no login, no internal data."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from portal import selectors


@cache_control(public=True, max_age=30)
def status_page(request):
    """Every active service with its state, and ongoing major incidents with the updates
    the service desk published."""
    context = {
        "states": selectors.service_states(),
        "majors": selectors.ongoing_major_incidents(),
        "as_of": timezone.now(),
    }
    return render(request, "portal/status.html", context)
