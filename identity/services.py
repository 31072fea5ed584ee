"""Writes of sign-in: accounts from provider claims, TOTP enrolment, recovery codes."""

import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from identity.config import ROLE_NAMES
from identity.exceptions import SignInError
from identity.models import OidcIdentity
from identity.selectors import provider_name

logger = logging.getLogger(__name__)
RECOVERY_CODES = 10


def _claimed_groups(claims: dict) -> list[str]:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return [str(group) for group in groups if isinstance(group, str | int)][:500]


def _text(claims: dict, name: str, limit: int) -> str:
    value = claims.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _refuse(message: str, reason: str, status: int = 403) -> SignInError:
    return SignInError(message, reason=reason, status=status)


def _check_allowed(groups: list[str]) -> None:
    allowed = settings.OIDC_ALLOWED_GROUPS
    if allowed and not set(groups) & set(allowed):
        raise _refuse(
            f"Your {provider_name()} account is not in any group allowed to use the IT "
            "Service Desk, so you are not signed in. Ask your administrator for access.",
            "no_allowed_group",
        )


def _unique_username(claims: dict) -> str:
    user_model = get_user_model()
    base = (
        _text(claims, "preferred_username", 120)
        or _text(claims, "email", 120)
        or f"sso-{claims['sub']}"[:120]
    )
    username, n = base, 1
    while user_model.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _adopt_or_create(*, issuer: str, claims: dict):
    """An existing account with the same e-mail address, when the provider verified it;
    otherwise a new end-user account without a usable password."""
    user_model = get_user_model()
    email = _text(claims, "email", 254)
    matches = list(user_model.objects.filter(email__iexact=email)[:2]) if email else []
    if not matches:
        user = user_model(username=_unique_username(claims), email=email)
        user.set_unusable_password()
        user.save()
        return user
    if claims.get("email_verified") is not True:
        raise _refuse(
            f"An account with the e-mail address {email} already exists here, but "
            f"{provider_name()} has not confirmed that the address is yours, so the two "
            "cannot be joined. Ask the IT service desk.",
            "email_unverified",
            409,
        )
    if len(matches) > 1 or matches[0].oidc_identities.filter(issuer=issuer).exists():
        raise _refuse(
            f"The e-mail address {email} belongs to an account that cannot be joined to "
            "yours automatically. Ask the IT service desk.",
            "email_ambiguous",
            409,
        )
    return matches[0]


def _apply_roles(user, groups: list[str]) -> None:
    """The mapped roles exactly; the staff flag follows (superusers stay staff). With no
    OIDC_ROLE_MAP, roles are managed in the admin and left alone."""
    role_map = settings.OIDC_ROLE_MAP
    if not role_map:
        return
    roles = {role_map[group] for group in groups if group in role_map}
    role_groups = list(Group.objects.filter(name__in=ROLE_NAMES))
    user.groups.remove(*[group for group in role_groups if group.name not in roles])
    user.groups.add(*[group for group in role_groups if group.name in roles])
    user.is_staff = bool(roles) or user.is_superuser


@transaction.atomic
def oidc_user_sync(*, issuer: str, claims: dict):
    """The local account for a provider sign-in, created on the first one, with its name,
    e-mail address and roles updated from the claims every time. Raises SignInError, and
    then writes nothing, when the person may not sign in."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise _refuse(f"{provider_name()} sent no usable account id.", "no_subject", 400)
    groups = _claimed_groups(claims)
    _check_allowed(groups)
    identity = (
        OidcIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    user = identity.user if identity else _adopt_or_create(issuer=issuer, claims=claims)
    if not user.is_active:
        raise _refuse("This account has been deactivated. Ask the IT service desk.", "inactive")
    user.first_name = _text(claims, "given_name", 150) or user.first_name
    user.last_name = _text(claims, "family_name", 150) or user.last_name
    user.email = _text(claims, "email", 254) or user.email
    _apply_roles(user, groups)
    user.save()
    if identity is None:
        identity = OidcIdentity(user=user, issuer=issuer, subject=subject)
    identity.groups, identity.last_sign_in = groups, timezone.now()
    identity.save()
    logger.info("Single sign-on: %s signed in (groups %s).", user.get_username(), groups)
    return user


@transaction.atomic
def totp_enrolment_confirm(*, device, token: str) -> list[str] | None:
    """Save a new TOTP device (unsaved, with the key the person's app holds) once a code
    from the app matches it, replacing any earlier one, and give the account fresh recovery
    codes (returned once, to be shown). None, and nothing saved, when the code is wrong."""
    if not token.isdigit() or not device.verify_token(token):
        return None
    type(device).objects.filter(user=device.user).delete()
    device.confirmed = True
    device.save()
    return recovery_codes_renew(user=device.user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Replace the account's recovery codes with new single-use ones; returns them."""
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    device.token_set.bulk_create([device.token_set.model(device=device, token=c) for c in codes])
    return codes
