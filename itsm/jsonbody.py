"""The one JSON decoder of every door that accepts JSON (REST API, monitoring intake).

`json.loads` recurses once per nesting level, so a body of 50,000 `[` (well under any
body limit) ends in RecursionError, a 500. The nesting depth is measured first, with a
flat scan that skips strings, and the document is decoded only when it is within
`ITSM_JSON_MAX_DEPTH`; objects and lists are then bounded by `ITSM_JSON_MAX_KEYS` and
`ITSM_JSON_MAX_ITEMS`. NaN, Infinity and numbers too large for a float are refused too:
no column can store them. Each door turns `JSONBodyError` into its own 400; the admin's
JSON fields use `JSONFormField`.
"""

import json
import math
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput

from itsm import text

# A string literal (escapes included), or one bracket outside any string.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class JSONBodyError(ValueError):
    """The body is not JSON this product will decode; the message says why."""


def _check_depth(text: str, limit: int) -> None:
    depth = 0
    for token in _TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                raise JSONBodyError(f"JSON nested deeper than {limit} levels.")
        elif char in "]}":
            depth -= 1


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise JSONBodyError(f"The number {text[:20]}... is too large.")
    return number


def _no_constant(name: str):
    raise JSONBodyError(f"{name} is not a JSON number.")


def _check_sizes(data: Any) -> None:
    """Count keys and items per container, without recursion (depth is bounded anyway)."""
    max_keys, max_items = settings.ITSM_JSON_MAX_KEYS, settings.ITSM_JSON_MAX_ITEMS
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if len(value) > max_keys:
                raise JSONBodyError(f"A JSON object has more than {max_keys} keys.")
            pending.extend(value.values())
        elif isinstance(value, list):
            if len(value) > max_items:
                raise JSONBodyError(f"A JSON list has more than {max_items} items.")
            pending.extend(value)


def decode(body: bytes | str) -> Any:
    """The decoded document, or JSONBodyError."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError as error:
        raise JSONBodyError(f"The body is not UTF-8: {error.reason}.") from None
    # The scans are skipped when the text is too small to break a bound (the common case
    # of a monitoring delivery): deeper nesting needs more brackets, a bigger container
    # more commas (strings may hold some too: the counts only ever overestimate).
    if text.count("[") + text.count("{") > settings.ITSM_JSON_MAX_DEPTH:
        _check_depth(text, settings.ITSM_JSON_MAX_DEPTH)
    try:
        data = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except JSONBodyError:
        raise
    except (ValueError, RecursionError) as error:
        raise JSONBodyError(f"The body is not valid JSON: {error}.") from None
    if text.count(",") >= min(settings.ITSM_JSON_MAX_KEYS, settings.ITSM_JSON_MAX_ITEMS):
        _check_sizes(data)
    return data


def _storable(value: str) -> Any:
    """`value` decoded, or ValidationError saying why it cannot be stored."""
    try:
        data = decode(value)
    except JSONBodyError as error:
        raise ValidationError(str(error), code="invalid") from None
    for path, problem in text.unstorable_fields(data).items():
        raise ValidationError(f"{path or 'The value'}: {problem}", code="invalid")
    return data


class JSONFormField(forms.JSONField):
    """A JSON field of an admin form, decoded like any JSON body and held to the
    stored-text rule: Django's own decodes without a depth bound (RecursionError, a 500),
    lets an escaped NUL through to the database and re-renders an escaped lone surrogate
    raw, which no page can encode. Refused input is shown back as it was typed."""

    def to_python(self, value):
        if isinstance(value, str) and not self.disabled and value not in self.empty_values:
            _storable(value)
        return super().to_python(value)

    def bound_data(self, data, initial):
        if self.disabled or not isinstance(data, str):
            return super().bound_data(data, initial)
        try:
            _storable(data)
        except ValidationError:
            return InvalidJSONInput(data)
        return super().bound_data(data, initial)
