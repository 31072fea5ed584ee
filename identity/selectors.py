"""Reads about sign-in: whether single sign-on is on, what the login pages offer, and what
a signed-in session still owes (a second factor)."""

from urllib.parse import urlparse

from django.conf import settings

OIDC_BACKEND = "identity.backends.OidcBackend"


def oidc_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def provider_name() -> str:
    """OIDC_PROVIDER_NAME, or the issuer's host name."""
    return (
        settings.OIDC_PROVIDER_NAME or urlparse(settings.OIDC_ISSUER).hostname or "single sign-on"
    )


def password_form_shown(request) -> bool:
    """With OIDC_ONLY the password form is kept for superusers, behind `?local=1`."""
    return not (oidc_enabled() and settings.OIDC_ONLY) or request.GET.get("local") == "1"


def password_sign_in_allowed(user) -> bool:
    """With OIDC_ONLY only superusers may sign in with a password (the way back in when the
    provider is down or misconfigured)."""
    return not (oidc_enabled() and settings.OIDC_ONLY) or user.is_superuser


def signed_in_with_provider(request) -> bool:
    from django.contrib.auth import BACKEND_SESSION_KEY

    return request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND


def has_totp(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_owed(request, user) -> str | None:
    """ "verify" when this session must still give a code, "enrol" when the account must
    first set up TOTP (staff with ITSM_STAFF_2FA), None when nothing is owed. Provider
    sign-ins owe nothing: the provider applies its own factors."""
    verified = getattr(user, "is_verified", lambda: False)()
    if not user.is_authenticated or signed_in_with_provider(request) or verified:
        return None
    if has_totp(user):
        return "verify"
    if settings.ITSM_STAFF_2FA and user.is_staff:
        return "enrol"
    return None


def login_page_context(request) -> dict:
    """What the portal's and the admin's login pages offer."""
    enabled = oidc_enabled()
    return {
        "oidc": {
            "enabled": enabled,
            "provider_name": provider_name() if enabled else "",
            "password_form": password_form_shown(request),
        }
    }
