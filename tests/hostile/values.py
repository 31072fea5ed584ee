"""Hostile values, bodies, query strings and methods, and the tally of what the suite sent.

Every request of the suite goes through `send`, which fails on any 5xx and counts the
request under its door ("api", "monitoring", "portal", "admin", "accounts", ...) and its
status, so the closing summary can say how much was tried and what came back.
"""

import json
from collections import Counter

NUL = "nul\x00here"
SURROGATE = "lone\ud800surrogate"
LONG = "x" * 70_000
RLO = "Invoice \u202egpj.exe"
HOSTILE_STRINGS = {
    "nul": NUL,
    "surrogate": SURROGATE,
    "long": LONG,
    "rlo": RLO,
    "empty": "",
    "markup": "<script>alert(1)</script>",
    "digits": "9" * 5_000,
    "path": "../../../../etc/passwd",
}
HUGE_NUMBERS = {"huge": 10**30, "negative": -(10**30), "int64": 2**63, "float": 1.7e308}


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


RAW_BODIES: dict[str, bytes] = {
    "deep list": _deep(50_000).encode(),
    "deep list 1100": _deep(1_100).encode(),
    "deep object": ('{"a":' * 5_000 + "1" + "}" * 5_000).encode(),
    "deep in a field": ('{"title": ' + _deep(2_000) + "}").encode(),
    "truncated": b'{"title": "VPN dow',
    "empty": b"",
    "not utf-8": b'{"title": "\xff\xfe"}',
    "NaN": b'{"title": NaN}',
    "huge exponent": b'{"version": 1e999}',
    "huge integer": b'{"version": ' + b"9" * 5_000 + b"}",
    "top-level list": b"[1, 2, 3]",
    "top-level string": b'"hello"',
    "nul escape": b'{"title": "a\\u0000b", "body": "a\\u0000b"}',
    "surrogate escape": b'{"title": "a\\ud800b", "body": "a\\udfffb"}',
    "many keys": json.dumps({f"k{i}": i for i in range(1_500)}).encode(),
    "long list": json.dumps({"status": list(range(12_000))}).encode(),
    "nul key": b'{"a\\u0000": 1}',
}
CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data",  # no boundary
    "multipart/form-data; boundary=x",
    "application/json; charset=utf-16",
]
HOSTILE_QUERY_VALUES = [
    "%zz%",
    "%ED%A0%80",  # a surrogate, percent-encoded
    "a%00b",
    "99999999999999999999999999",
    "x" * 5_000,
    "9999-99-99",
]
RAW_QUERY_STRINGS = ["%", "%%%", "a=%zz&%=b", "&&&===", "a[]=1&a[]=%00", "=" * 100]
UNKNOWN_METHODS = ["OPTIONS", "PROPFIND", "BREW", "TRACE"]

TALLY: Counter = Counter()


def send(client, door: str, method: str, path: str, data=b"", content_type=None, **extra):
    """One request through the whole stack; fails on a 5xx, counts it for the summary."""
    kwargs = {"content_type": content_type} if content_type else {}
    response = client.generic(method.upper(), path, data, **kwargs, **extra)
    TALLY[(door, response.status_code)] += 1
    assert response.status_code < 500, (method, path, response.status_code, data[:200])
    return response


def plant(value, hostile):
    """`value` (a generated body or query) with every string and number replaced by
    `hostile`: the generated shape, with hostile content in every leaf."""
    if isinstance(value, dict):
        return {key: plant(item, hostile) for key, item in value.items()}
    if isinstance(value, list):
        return [plant(item, hostile) for item in value]
    if isinstance(value, str) and isinstance(hostile, str):
        return hostile
    if isinstance(value, int | float) and not isinstance(value, bool):
        return hostile if isinstance(hostile, int | float) else value
    return value


def summary() -> list[str]:
    doors = sorted({door for door, _ in TALLY})
    lines = []
    for door in doors:
        statuses = {status: n for (d, status), n in sorted(TALLY.items()) if d == door}
        total = sum(statuses.values())
        shown = ", ".join(f"{status}: {n}" for status, n in statuses.items())
        lines.append(f"{door}: {total} sent ({shown})")
    return lines
