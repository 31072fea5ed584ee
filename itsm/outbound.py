"""Outgoing HTTP requests (webhooks, and any chat or push channel) reach public addresses
only, so a URL a manager registers cannot be used to probe or call the service desk's own
network (server-side request forgery).

Every address a host name resolves to must be public: loopback, link-local (cloud metadata
at 169.254.169.254), private, shared, multicast, reserved and unspecified addresses are
refused unless ITSM_OUTBOUND_ALLOWLIST names them. The check runs when a URL is saved (the
admin and the API say why it is refused) and again on every connection, on the addresses
actually connected to, so a name re-pointed at a private address after it was saved (DNS
rebinding) or a redirect to one is refused too. Proxies from the environment are ignored:
the connection goes where the check says.
"""

import http.client
import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

KINDS = [
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_unspecified", "an unspecified address"),
    ("is_private", "a private address"),
    ("is_reserved", "a reserved address"),
]


class DestinationRefused(Exception):
    """The destination is not a public address and the allowlist does not name it."""


def parse_allowlist(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Addresses or networks (`127.0.0.1`, `10.0.0.0/8`); a typo raises ValueError."""
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry]


def refusal(address: Address) -> str | None:
    """Why `address` may not be reached, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in network for network in parse_allowlist(settings.ITSM_OUTBOUND_ALLOWLIST)):
        return None
    for attribute, kind in KINDS:
        if getattr(address, attribute):
            return f"{address} is {kind}"
    return None if address.is_global else f"{address} is not a public address"


def resolve(host: str, port: int) -> list[tuple]:
    """getaddrinfo for a TCP connection; refused when any resolved address is refused."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for *_, sockaddr in infos:
        reason = refusal(ipaddress.ip_address(sockaddr[0].split("%")[0]))
        if reason:
            raise DestinationRefused(
                f"{host} resolves to {reason}; outgoing requests may not reach it unless "
                "ITSM_OUTBOUND_ALLOWLIST names it."
            )
    return infos


def validate_url(url: str) -> None:
    """For forms and serializers: a ValidationError saying why `url` is refused. A name
    that does not resolve now is accepted (it may later); delivery checks again."""
    parts = urlsplit(url)
    try:
        resolve(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
    except DestinationRefused as exc:
        raise ValidationError(str(exc), code="destination_refused") from exc
    except (OSError, ValueError, UnicodeError):
        return


def _connect(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """socket.create_connection, to checked addresses only."""
    host, port = address
    error = None
    for family, kind, proto, _, sockaddr in resolve(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error or OSError(f"Cannot connect to {host}")


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


def build_opener(*handlers) -> urllib.request.OpenerDirector:
    """A urllib opener whose every connection (redirects included) is checked."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _CheckedHTTPHandler, _CheckedHTTPSHandler, *handlers
    )
