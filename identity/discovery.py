"""The provider's discovery document and signing keys, fetched from OIDC_ISSUER and cached.

Both are cached for an hour so a sign-in costs no extra round trips. Key rotation: when an
ID token names a key (`kid`) the cached key set does not hold, the set is fetched again once
before the token is refused, so a provider that rotates its keys is followed at once.
"""

import logging

import requests
from django.conf import settings
from django.core.cache import cache

from identity.exceptions import SignInError, provider_unreachable
from identity.selectors import provider_name

logger = logging.getLogger(__name__)
CACHE_SECONDS = 3600
REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("Single sign-on: %s could not be fetched: %s", url, exc)
        raise provider_unreachable(provider_name()) from exc
    if not isinstance(document, dict):
        raise provider_unreachable(provider_name())
    return document


def provider_metadata() -> dict:
    """The issuer's /.well-known/openid-configuration, checked to name the same issuer."""
    key = f"identity:oidc-metadata:{settings.OIDC_ISSUER}"
    metadata = cache.get(key)
    if metadata is None:
        metadata = _get_json(f"{settings.OIDC_ISSUER}/.well-known/openid-configuration")
        missing = [field for field in REQUIRED if not metadata.get(field)]
        if missing or metadata["issuer"].rstrip("/") != settings.OIDC_ISSUER:
            logger.error(
                "Single sign-on: the discovery document of %s is unusable (missing %s, issuer %r).",
                settings.OIDC_ISSUER,
                ", ".join(missing) or "nothing",
                metadata.get("issuer"),
            )
            raise SignInError(
                f"{provider_name()} is not set up correctly for this site. "
                "Tell the IT service desk.",
                reason="provider_misconfigured",
                status=502,
            )
        cache.set(key, metadata, CACHE_SECONDS)
    return metadata


def signing_keys(*, refresh: bool = False) -> list[dict]:
    """The provider's JSON Web Keys; `refresh` fetches them again (a rotated key)."""
    key = f"identity:oidc-jwks:{settings.OIDC_ISSUER}"
    keys = None if refresh else cache.get(key)
    if keys is None:
        keys = _get_json(provider_metadata()["jwks_uri"]).get("keys")
        if not isinstance(keys, list):
            raise provider_unreachable(provider_name())
        cache.set(key, keys, CACHE_SECONDS)
    return keys


def provider_logout_url(request) -> str | None:
    """Where to send a browser whose single sign-on session ends, so the provider's session
    ends too (RP-initiated logout); None for password sessions, or when the provider does
    not offer it or cannot be reached (the local session still ends)."""
    from urllib.parse import urlencode

    from identity.selectors import signed_in_with_provider

    if not settings.OIDC_ISSUER or not signed_in_with_provider(request):
        return None
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except SignInError:
        return None
    if not endpoint:
        return None
    query = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": f"{settings.SITE_URL}{settings.LOGOUT_REDIRECT_URL}",
    }
    if request.session.get("oidc_id_token"):
        query["id_token_hint"] = request.session["oidc_id_token"]
    return f"{endpoint}?{urlencode(query)}"
