"""Apprise URLs: whether Apprise understands one, where it connects, and how to show it.

An Apprise URL names a service and carries its credentials (`slack://TokenA/TokenB/TokenC`,
`mmosts://chat.example.com/<webhook token>`, `ntfys://ntfy.example.com/<topic>`), so the
whole URL is a secret. It is shown only masked: the scheme, plus the host when the service
takes one (`mmosts://chat.example.com/…`); a service whose first part is a token shows
the scheme alone (`slack://…`).
"""

import logging
import threading

import apprise
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from itsm import outbound

MAX_LENGTH = 2000
# Messages come from the service desk, not from "Apprise" (Mattermost shows it as sender).
ASSET = apprise.AppriseAsset(app_id="IT Service Desk", app_desc="Incident management")
# Services that talk to the server's own desktop or log instead of the network: a channel
# must reach people, and these would let a URL act on the host the worker runs on.
LOCAL_SCHEMES = {"dbus", "kde", "qt", "glib", "gnome", "macosx", "windows", "syslog", "blink1"}


class _QuietWhileParsing(logging.Filter):
    """Drops Apprise's own records in the thread that is only parsing a URL: a URL someone
    typed wrong is a form or API error for them, not an ERROR line in our log (and the
    line would quote the URL, a secret)."""

    local = threading.local()

    def filter(self, record):
        return not getattr(self.local, "parsing", False)


_QUIET = _QuietWhileParsing()
logging.getLogger("apprise").addFilter(_QUIET)


def instantiate(url: str):
    """The Apprise plugin for `url`, or None when Apprise does not understand it."""
    if not url or len(url) > MAX_LENGTH:
        return None
    _QUIET.local.parsing = True
    try:
        return apprise.Apprise.instantiate(url.strip(), asset=ASSET)
    finally:
        _QUIET.local.parsing = False


def scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def network_host(plugin) -> str:
    """The host the plugin connects to when the URL names one (self-hosted Mattermost,
    ntfy, JSON...); empty for cloud services addressed by token."""
    takes_host = any("{host}" in template for template in getattr(plugin, "templates", ()))
    return (plugin.host or "") if takes_host else ""


def check_destination(plugin) -> None:
    """Raise outbound.DestinationRefused when the URL's host resolves to a private,
    loopback or link-local address the allowlist does not name. A name that does not
    resolve now passes (delivery checks every connection again)."""
    host = network_host(plugin)
    if not host:
        return
    port = getattr(plugin, "port", None) or (443 if getattr(plugin, "secure", False) else 80)
    try:
        outbound.resolve(host, port)
    except (OSError, ValueError, UnicodeError):
        return


def validate_url(url: str) -> str:
    """For forms and serializers: the cleaned URL, or a ValidationError saying what is wrong
    (not an Apprise URL, a local-only service, a destination inside our network)."""
    url = (url or "").strip()
    plugin = instantiate(url)
    if plugin is None:
        raise ValidationError(
            _(
                "Apprise does not understand this URL. Examples: slack://TokenA/TokenB/TokenC, "
                "mmosts://chat.example.com/<token>, ntfys://ntfy.example.com/<topic>, "
                "json://hooks.example.com/path."
            ),
            code="invalid_url",
        )
    if scheme(url) in LOCAL_SCHEMES:
        raise ValidationError(
            _("This service notifies the server itself; use a chat or push service."),
            code="local_service",
        )
    try:
        check_destination(plugin)
    except outbound.DestinationRefused as exc:
        raise ValidationError(str(exc), code="destination_refused") from exc
    return url


def mask(url: str) -> str:
    """What may be shown of a stored URL: `scheme://host/…` or `scheme://…`."""
    if not url:
        return "(not readable: enter the URL again)" if url is not None else ""
    plugin = instantiate(url)
    host = network_host(plugin) if plugin is not None else ""
    if host:
        port = getattr(plugin, "port", None)
        return f"{scheme(url)}://{host}{f':{port}' if port else ''}/…"
    return f"{scheme(url) or '?'}://…"


def mask_email(address: str) -> str:
    """`a…@example.com`: enough to recognise one's own address, not to harvest it."""
    if not address:
        return "(not readable: enter the address again)"
    local, _at, domain = address.partition("@")
    return f"{local[:1]}…@{domain}"
