"""The "Who is on call now" page of the workspace, with the viewer's personal calendar link
(registered in OncallConfig.ready)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.roles import can_work_incidents
from oncall import services
from oncall.models import CalendarFeed
from oncall.selectors import schedule_board

PERMISSION = "oncall.view_schedule"
TEMPLATE = "oncall/now.html"


def on_call_now_view(request, context):
    """Per team, each schedule: who is on call, until when, and who takes over next.
    POST creates or rotates the viewer's personal calendar link (a GET changes nothing)."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        existed = CalendarFeed.objects.filter(user=request.user).exists()
        services.calendar_feed_rotate(user=request.user)
        if existed:
            messages.success(request, _("Your calendar link changed; the old one no longer works."))
        else:
            messages.success(request, _("Your calendar link is ready."))
        return HttpResponseRedirect(reverse("admin:oncall_now"))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = None
    if feed:
        feed_url = request.build_absolute_uri(reverse("oncall:user-calendar", args=[feed.token]))
    context.update(
        title=_("Who is on call now"),
        rows=schedule_board(),
        now=timezone.now(),
        feed_url=feed_url,
        may_subscribe=can_work_incidents(request.user),
        may_change=request.user.has_perm("oncall.change_schedule"),
    )
    return render(request, TEMPLATE, context)
