"""Notification preferences, for any signed-in person (end users and staff alike)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from incidents.models import Service
from itsm.buttons import post_only
from notifications import services
from notifications.forms import PreferencesForm


@login_required
def preferences(request):
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.preferences_save(
                user=user,
                receive_updates=form.cleaned_data["receive_updates"],
                own_actions=form.cleaned_data["own_actions"],
                services=form.cleaned_data["services"],
            )
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
    else:
        preference = services.preference_of(user)
        form = PreferencesForm(
            initial={
                "receive_updates": preference.receive_updates,
                "own_actions": preference.own_actions,
                "services": list(user.subscribed_services.filter(active=True)),
            }
        )
    return render(request, "notifications/preferences.html", {"form": form})


def _to_preferences(request, slug):
    return reverse("notifications:preferences"), _("Go to your notification settings")


@login_required
@post_only(back=_to_preferences)
def service_subscription(request, slug):
    """Follow or stop following one service (a button on a portal page); `subscribe=0`
    stops. Goes back to `next` when it is a page of this site."""
    service = get_object_or_404(Service, slug=slug, active=True)
    subscribe = request.POST.get("subscribe", "1") != "0"
    services.service_subscribe(user=request.user, service=service, subscribe=subscribe)
    if subscribe:
        message = _("You now follow %(service)s.")
    else:
        message = _("You no longer follow %(service)s.")
    messages.success(request, message % {"service": service.name})
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:preferences")
