"""The outbound guard (itsm/outbound.py) for connections Apprise makes.

Apprise posts through `requests`, hence urllib3, which opens every connection through
`urllib3.util.connection.create_connection`. `install()` wraps that function once: inside
`checked()` (this thread only) a connection goes only to addresses `outbound.resolve`
accepts, the ones actually connected to, so a host re-pointed at a private address after
its URL was saved (DNS rebinding) or a redirect into our network is refused. Outside
`checked()`, and in other threads, urllib3 behaves exactly as before.
"""

import socket
import threading
from contextlib import contextmanager

from urllib3.util import connection as urllib3_connection

from itsm import outbound

_state = threading.local()
_original = urllib3_connection.create_connection


def _guarded_create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, *args, **kwargs):
    if not getattr(_state, "active", False):
        return _original(address, timeout, *args, **kwargs)
    host, port = address
    host = host.strip("[]")
    source_address = kwargs.get("source_address") or (args[0] if args else None)
    options = kwargs.get("socket_options") or (args[1] if len(args) > 1 else None) or []
    error = None
    for family, kind, proto, _, sockaddr in outbound.resolve(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            for option in options:
                sock.setsockopt(*option)
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


def install() -> None:
    """Wrap urllib3's connection factory (idempotent; called from AppConfig.ready)."""
    urllib3_connection.create_connection = _guarded_create_connection


@contextmanager
def checked():
    """Within this block, this thread's urllib3 connections are checked."""
    install()
    previous = getattr(_state, "active", False)
    _state.active = True
    try:
        yield
    finally:
        _state.active = previous
