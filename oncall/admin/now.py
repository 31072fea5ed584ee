"""The "Who is on call now" page of the workspace, with the viewer's personal calendar link
(registered in OncallConfig.ready)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from incidents.roles import can_work_incidents
from oncall import services
from oncall.selectors import schedule_board

PERMISSION = "oncall.view_schedule"
TEMPLATE = "oncall/now.html"


def on_call_now_view(request, context):
    """Per team, each schedule: who is on call, until when, and who takes over next.
    POST rotates the viewer's personal calendar link."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        services.calendar_feed_rotate(user=request.user)
        messages.success(request, "Your calendar link changed; the old one no longer works.")
        return HttpResponseRedirect(reverse("admin:oncall_now"))
    feed_url = None
    if can_work_incidents(request.user):
        feed = services.calendar_feed_for(user=request.user)
        path = reverse("oncall:user-calendar", args=[feed.token])
        feed_url = request.build_absolute_uri(path)
    context.update(
        title="Who is on call now",
        rows=schedule_board(),
        now=timezone.now(),
        feed_url=feed_url,
        may_change=request.user.has_perm("oncall.change_schedule"),
    )
    return render(request, TEMPLATE, context)
