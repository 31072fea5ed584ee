"""The client's address as seen through the reverse proxies we were told to trust.

Behind `ITSM_TRUSTED_PROXIES` proxies (compose: one, Caddy), each proxy appends the address
it received the request from to X-Forwarded-For, so the client is that many entries from the
right; anything further left was written by the client and is not believed. With no proxy
configured the connection's own address is used. Login lockouts (django-axes) count per
client this way instead of per proxy.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.ITSM_TRUSTED_PROXIES
    if not hops:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-hops] if len(forwarded) >= hops else remote
