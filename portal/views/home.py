"""The portal's landing page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal import selectors

MY_OPEN_SHOWN = 10
KNOWN_SHOWN = 15


@login_required
def home(request):
    """Report a problem, the user's open incidents, and problems already known."""
    user = request.user
    my_open = list(selectors.user_incidents(user, status="open")[:MY_OPEN_SHOWN])
    # Known problems the user already follows are listed under their own incidents.
    known = list(selectors.known_incidents().exclude(selectors.mine(user))[:KNOWN_SHOWN])
    context = {"my_open": my_open, "known": known}
    return render(request, "portal/home.html", context)
