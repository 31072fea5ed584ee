"""Signed, expiring acknowledge links: one per page, usable once.

The token carries only the page id, signed with the project's SECRET_KEY (Django's
`signing`, salted for this purpose) and timestamped, so it cannot be forged or altered and
stops working after `ITSM_ACK_LINK_HOURS`. Single use is kept by the page row
(`Page.link_used_at`), not by the token.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "paging.acknowledge-link"


class LinkRefused(Exception):
    """The link cannot be used; the message says why, for the person holding it."""


def ack_token(page_id: int) -> str:
    return signing.dumps({"page": page_id}, salt=SALT, compress=False)


def ack_url(page_id: int) -> str:
    return f"{settings.SITE_URL}{reverse('paging:acknowledge', args=[ack_token(page_id)])}"


def page_id_from(token: str) -> int:
    """The page a token names, or LinkRefused (tampered, truncated or expired)."""
    max_age = settings.ITSM_ACK_LINK_HOURS * 3600
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused(
            f"This acknowledge link has expired (links work for {settings.ITSM_ACK_LINK_HOURS}"
            " hours). Open the incident in the workspace to acknowledge it."
        ) from None
    except signing.BadSignature:
        raise LinkRefused(
            "This acknowledge link is not valid: it may have been altered or cut short. "
            "Open the incident in the workspace instead."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("page"), int):
        raise LinkRefused("This acknowledge link is not valid.")
    return data["page"]
