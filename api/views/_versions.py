"""Optimistic concurrency over HTTP: the version in the body, or ETag / If-Match."""

import re
from contextlib import contextmanager

from django.utils.translation import gettext as _
from rest_framework import exceptions

from api.exceptions import PreconditionFailed, VersionRequired
from api.views.examples import IF_MATCH_PATTERN
from incidents.exceptions import StaleVersion

_IF_MATCH = re.compile(IF_MATCH_PATTERN)
_VERSION = re.compile(r"[0-9]{1,10}")


def etag(version: int) -> str:
    return f'"{version}"'


ANY = -1


def if_match(request) -> int | None:
    """The version named by If-Match; None when absent, ANY for `*` (whatever is current)."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    if not _IF_MATCH.fullmatch(header):
        raise exceptions.ValidationError(
            {"If-Match": [_('Send the ETag you received, e.g. If-Match: "3".')]}
        )
    if header == "*":
        return ANY
    return int(_VERSION.search(header).group())


@contextmanager
def expected_version(request, data: dict, *, required: bool):
    """Yield the version the caller last read. A mismatch on If-Match becomes 412; on the
    body `version` the service's StaleVersion stays 409. With `required`, naming neither
    is a 409 that says what to send."""
    header = if_match(request)
    version = header if header is not None else data.pop("version", None)
    data.pop("version", None)
    if version is None and required:
        raise VersionRequired()
    try:
        yield None if version == ANY else version
    except StaleVersion as stale:
        if header is not None:
            raise PreconditionFailed(stale.message) from None
        raise
