"""Sign-in, sign-out, password change and reset (Django's views, our templates), and
self-registration when ITSM_ALLOW_SIGNUP is on."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from identity.discovery import provider_logout_url
from identity.selectors import login_page_context
from itsm.login import LoginForm
from portal.forms import SignupForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **login_page_context(self.request)}


class LogoutView(auth_views.LogoutView):
    """POST only (a link cannot sign anyone out); says so once signed out. A single
    sign-on session also ends at the provider when it supports RP-initiated logout."""

    def post(self, request, *args, **kwargs):
        at_provider = provider_logout_url(request)
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out."))
        return redirect(at_provider) if at_provider else response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_complete.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset.html"
    email_template_name = "registration/reset_email-body.txt"
    subject_template_name = "registration/reset_email-subject.txt"
    success_url = reverse_lazy("password_reset_done")

    @property
    def extra_email_context(self):
        """Links point at SITE_URL, never at whatever Host header the request carried."""
        return {"site_url": settings.SITE_URL}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_new.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_finished.html"


def signup(request):
    """Create an end-user account and sign in; 404 unless sign-up is allowed."""
    if not settings.ITSM_ALLOW_SIGNUP:
        raise Http404(_("Sign-up is not available."))
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        message = _("Welcome, %(name)s. Your account is ready.") % {"name": user.first_name}
        messages.success(request, message)
        return redirect("portal:home")
    return render(request, "registration/signup.html", {"form": form})
