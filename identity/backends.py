"""The OpenID Connect authentication backend: mozilla-django-oidc's code flow (PKCE, state,
nonce, token exchange, ID token signature), with endpoints and keys from discovery
(identity/discovery.py), stricter token checks, and accounts made by `oidc_user_sync`.

Every failure becomes a `SignInError` with a sentence a person understands; the callback
view (identity/views.py) shows it and logs the reason.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from identity.discovery import provider_metadata, signing_keys
from identity.exceptions import SignInError, provider_unreachable
from identity.selectors import provider_name
from identity.services import oidc_user_sync

logger = logging.getLogger(__name__)


def _untrusted_answer(detail: str) -> SignInError:
    logger.warning("Single sign-on: the provider's answer was refused: %s", detail)
    return SignInError(
        f"The answer from {provider_name()} could not be verified, so you are not signed "
        "in. Start again; if it keeps happening, tell the IT service desk.",
        reason="token_invalid",
    )


def _token_error(exc: requests.HTTPError) -> SignInError:
    response = exc.response
    body = response.text[:300] if response is not None else ""
    status = response.status_code if response is not None else 0
    if status == 401 or "invalid_client" in body:
        logger.error("Single sign-on: the provider refused our client credentials: %s", body)
        return SignInError(
            f"{provider_name()} did not accept this site's credentials (client ID or "
            "secret), so nobody can sign in with it at the moment. Tell the IT service desk.",
            reason="client_rejected",
            status=502,
        )
    logger.warning("Single sign-on: the token request failed (%s): %s", status, body)
    return SignInError(
        f"{provider_name()} did not accept this sign-in (it may have taken too long). Start again.",
        reason="code_rejected",
    )


class OidcBackend(OIDCAuthenticationBackend):
    """Used only by the callback view (it passes `nonce`); password sign-ins skip it."""

    def __init__(self, *args, **kwargs):
        # No network here: Django builds backends for every request of a signed-in user.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 (the library's attribute name)
        return provider_metadata()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return provider_metadata()["userinfo_endpoint"]

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            logger.warning("Single sign-on: the provider could not be reached: %s", exc)
            raise provider_unreachable(provider_name()) from exc
        except requests.HTTPError as exc:
            raise _token_error(exc) from exc
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as exc:
            raise _untrusted_answer(f"{type(exc).__name__}: {exc}") from exc
        except IntegrityError as exc:
            # Two first sign-ins of one person at the same moment: one made the account.
            raise SignInError(
                "You were being signed in twice at the same moment. Start again.",
                reason="concurrent_first_sign_in",
                status=409,
            ) from exc

    def retrieve_matching_jwk(self, token):
        """The key the token names, from the cached set or, after a rotation, a fresh one."""
        header = jwt.get_unverified_header(token)
        for refresh in (False, True):
            for key in signing_keys(refresh=refresh):
                if key.get("kid") == header.get("kid") and key.get("alg", "RS256") == header.get(
                    "alg"
                ):
                    return jwt.PyJWK(key)
        raise SuspiciousOperation(f"no signing key {header.get('kid')!r} at the provider")

    def verify_token(self, token, **kwargs):
        """The library checks the signature, expiry and nonce; also the issuer and audience."""
        if not isinstance(token, str):
            raise SuspiciousOperation("no ID token in the token response")
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss", "").rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation(f"ID token issuer {payload.get('iss')!r}")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation(f"ID token audience {audience!r}")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
            # Not SuspiciousOperation: the library would swallow it inside authenticate().
            raise _untrusted_answer("userinfo is about another subject")
        return oidc_user_sync(issuer=settings.OIDC_ISSUER, claims={**payload, **userinfo})
