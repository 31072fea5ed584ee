"""The "Preferences" page: language and time zone, for end users and staff alike."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from profiles import services
from profiles.forms import PreferencesForm
from profiles.models import UserProfile


@login_required
def preferences(request):
    profile = services.profile_of(request.user) or UserProfile(user=request.user)
    form = PreferencesForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        saved = services.profile_save(
            user=request.user,
            language=form.cleaned_data["language"],
            time_zone=form.cleaned_data["time_zone"],
        )
        # Answer in the language just chosen (the next request would anyway).
        if saved.language:
            translation.activate(saved.language)
        messages.success(request, _("Your preferences are saved."))
        return redirect("profiles:preferences")
    context = {"form": form, "default_zone": settings.TIME_ZONE}
    return render(request, "profiles/preferences.html", context)
