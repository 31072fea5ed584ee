"""Optimistic concurrency over HTTP: the version in the body, or ETag / If-Match."""

import re
from contextlib import contextmanager

from rest_framework import exceptions

from api.exceptions import PreconditionFailed, VersionRequired
from incidents.exceptions import StaleVersion

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,10})"?\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


ANY = -1


def if_match(request) -> int | None:
    """The version named by If-Match; None when absent, ANY for `*` (whatever is current)."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    if header.strip() == "*":
        return ANY
    match = _ETAG.match(header)
    if not match:
        raise exceptions.ValidationError(
            {"If-Match": ['Send the ETag you received, e.g. If-Match: "3".']}
        )
    return int(match.group(1))


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
