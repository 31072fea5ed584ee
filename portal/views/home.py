"""The portal's landing page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal import selectors

MY_OPEN_SHOWN = 10
KNOWN_SHOWN = 15


@login_required
def home(request):
    """Report a problem, the user's open incidents, and problems already known."""
    mine = selectors.mine(request.user)
    my_open = selectors.user_incidents(request.user, status="open", own=mine)[:MY_OPEN_SHOWN]
    # Known problems the user already follows are listed under their own incidents.
    known = list(selectors.known_incidents().exclude(mine)[:KNOWN_SHOWN])
    context = {"my_open": list(my_open), "known": known}
    return render(request, "portal/home.html", context)
