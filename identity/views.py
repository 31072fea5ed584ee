"""Doors of sign-in: the single sign-on start and callback (mozilla-django-oidc's views
with discovery and clear error pages), and the two-factor pages of local accounts."""

import logging
import time
from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from identity import selectors, services
from identity.discovery import provider_metadata
from identity.exceptions import SignInError
from identity.middleware import SESSION_OWED

logger = logging.getLogger(__name__)
SESSION_NEW_KEY = "identity_new_totp_key"


def sign_in_error_page(request, error: SignInError):
    """The one page for every failed sign-in: the sentence, a way back, no details."""
    logger.warning("Sign-in refused (%s): %s", error.reason, error.message)
    context = {"message": error.message, "reason": error.reason}
    return render(request, "identity/sign_in_error.html", context, status=error.status)


class OidcStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE challenge kept in the
    session by the library)."""

    def __init__(self, *args, **kwargs):
        # The library reads the endpoint from settings here; ours comes from discovery.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not selectors.oidc_enabled():
            raise Http404(_("Single sign-on is not configured."))
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except SignInError as error:
            return sign_in_error_page(request, error)
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back. State is checked here first (unknown,
    replayed or too old: a clear page), then the library exchanges the code and the
    backend verifies the ID token and syncs the account."""

    def get(self, request):
        if not selectors.oidc_enabled():
            raise Http404(_("Single sign-on is not configured."))
        try:
            self._check_response(request)
            return super().get(request)
        except SignInError as error:
            if request.user.is_authenticated:
                logout(request)
            return sign_in_error_page(request, error)

    def _check_response(self, request) -> None:
        states = request.session.get("oidc_states")
        state = request.GET.get("state", "")
        entry = states.get(state) if isinstance(states, dict) else None
        if request.GET.get("error"):
            if entry is not None:
                del states[state]
                request.session.save()
            raise SignInError(
                _("%(provider)s did not sign you in (%(error)s). Start again.")
                % {"provider": selectors.provider_name(), "error": request.GET["error"][:60]},
                reason="provider_refused",
            )
        if entry is None or not request.GET.get("code"):
            raise SignInError(
                _(
                    "This sign-in link has expired or was already used. Start again from the "
                    "sign-in page."
                ),
                reason="state_unknown",
            )
        if time.time() - entry.get("added_on", 0) > settings.OIDC_STATE_MAX_AGE:
            del states[state]
            request.session.save()
            raise SignInError(
                _("This sign-in took too long and has expired. Start again from the sign-in page."),
                reason="state_expired",
            )
        issuer = request.GET.get("iss")  # RFC 9207, when the provider sends it
        if issuer is not None and issuer.rstrip("/") != settings.OIDC_ISSUER:
            raise SignInError(
                _("This sign-in came back from another provider. Start again."),
                reason="issuer_mismatch",
            )

    @property
    def success_url(self):
        next_url = self.request.session.get("oidc_login_next")
        if next_url:
            return next_url
        return "/admin/" if self.user.is_staff else settings.LOGIN_REDIRECT_URL

    def login_failure(self):
        raise SignInError(
            _("You could not be signed in. Start again from the sign-in page."),
            reason="login_failed",
        )


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else default


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: show a new secret (kept in the session until a first
    code confirms it, so looking at the page writes nothing), then the recovery codes."""
    if selectors.signed_in_with_provider(request):
        messages.info(request, _("Your organisation's sign-in already applies two-factor."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    key = request.session.get(SESSION_NEW_KEY)
    if not isinstance(key, str) or request.method == "GET":
        key = request.session[SESSION_NEW_KEY] = random_hex(20)
    device = TOTPDevice(user=request.user, name="Authenticator app", key=key, confirmed=False)
    error = ""
    if request.method == "POST":
        codes = services.totp_enrolment_confirm(device=device, token=_code(request))
        if codes is not None:
            otp_login(request, device)
            request.session.pop(SESSION_OWED, None)
            request.session.pop(SESSION_NEW_KEY, None)
            context = {"codes": codes, "next": _next_url(request, settings.LOGIN_REDIRECT_URL)}
            return render(request, "identity/recovery_codes.html", context)
        error = _("That code is not right. Check the time on your phone and try the next code.")
    context = {
        "secret": b32encode(device.bin_key).decode(),
        "qr": _qr_svg(device.config_url),
        "error": error,
        "next": _next_url(request, ""),
    }
    return render(request, "identity/two_factor_setup.html", context)


@login_required
def two_factor_verify(request):
    """The second step of a password sign-in: a code from the app or a recovery code."""
    error = ""
    if request.method == "POST":
        device = match_token(request.user, _code(request))
        if device is not None:
            otp_login(request, device)
            request.session.pop(SESSION_OWED, None)
            return redirect(_next_url(request, settings.LOGIN_REDIRECT_URL))
        logger.warning("Two-factor: a wrong code for %s.", request.user.get_username())
        error = _("That code is not right, or was already used.")
    context = {"error": error, "next": _next_url(request, "")}
    return render(request, "identity/two_factor_verify.html", context)


@login_required
def recovery_codes_renew(request):
    """New recovery codes (POST), for a session that gave its second factor."""
    if request.method != "POST" or not request.user.is_verified():
        return redirect("identity:two-factor-verify")
    codes = services.recovery_codes_renew(user=request.user)
    return render(request, "identity/recovery_codes.html", {"codes": codes, "next": ""})


def _code(request) -> str:
    return "".join(str(request.POST.get("code", "")).split()).lower()[:32]


def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4)
