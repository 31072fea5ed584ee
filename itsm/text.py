"""What text may be stored, and how text that can reorder its surroundings is shown.

One rule for every door (REST API, monitoring, e-mail, portal, admin): a NUL character or
an unpaired UTF-16 surrogate cannot be stored (PostgreSQL refuses NUL in text, and a lone
surrogate cannot be encoded as UTF-8). A door either refuses such a value, naming the
field, or - where refusing would lose something (an alert, an e-mail) - stores it with
those characters replaced by U+FFFD and says so.

Bidirectional controls (a right-to-left override, say) are legal text, but one in a title
would reorder the words printed after it. Titles and names are shown wrapped in Unicode
isolates, which confine their effect, and stripped from mail subjects.
"""

import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Embeddings and overrides (LRE, RLE, PDF, LRO, RLO), isolates (LRI, RLI, FSI, PDI) and
# the implicit marks, which also steer neutral characters around them.
_BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored, or None when it can."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "Text may not contain NUL (\\u0000) characters."
    return "Text may not contain unpaired surrogates (\\ud800-\\udfff)."


def scrub_text(value: str) -> str:
    """`value` with every NUL and unpaired surrogate replaced by U+FFFD."""
    return _UNSTORABLE.sub(REPLACEMENT, value)


@deconstructible
class StorableTextValidator:
    """Django validator of the rule, for form and model fields."""

    code = "unstorable_text"

    def __call__(self, value) -> None:
        problem = text_problem(value) if isinstance(value, str) else None
        if problem:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, StorableTextValidator)


def _walk(data: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string of a decoded JSON document (keys included) with its dotted path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            inner = f"{path}.{key}" if path else str(key)
            yield inner, key
            yield from _walk(value, inner)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, f"{path}[{index}]" if path else f"[{index}]")


# JSON text can hold a NUL or a lone surrogate only as an escape: a raw control character
# is not valid JSON and strict UTF-8 cannot carry a surrogate. A valid surrogate pair or an
# escaped backslash before "u" matches too, which only costs the walk.
_UNSTORABLE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_UNSTORABLE_ESCAPE_BYTES = re.compile(_UNSTORABLE_ESCAPE.pattern.encode())


def json_may_hold_unstorable(json_text: str | bytes) -> bool:
    """Whether decoding `json_text` can give a string `unstorable_fields` would report."""
    pattern = _UNSTORABLE_ESCAPE_BYTES if isinstance(json_text, bytes) else _UNSTORABLE_ESCAPE
    return pattern.search(json_text) is not None


def unstorable_fields(data: Any) -> dict[str, str]:
    """Path of each string in `data` that cannot be stored, with the reason."""
    return {path: problem for path, text in _walk(data, "") if (problem := text_problem(text))}


def scrub(data: Any) -> Any:
    """A copy of a decoded JSON document with every string scrubbed (keys too)."""
    if isinstance(data, str):
        return scrub_text(data)
    if isinstance(data, dict):
        return {scrub_text(key): scrub(value) for key, value in data.items()}
    if isinstance(data, list):
        return [scrub(value) for value in data]
    return data


def isolate(value) -> str:
    """`value` wrapped in Unicode isolates when it holds bidirectional controls, so it
    cannot reorder the text printed around it; plain text is returned unchanged."""
    text = str(value)
    if _BIDI.search(text) is None:
        return text
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def strip_bidi(value) -> str:
    """`value` without bidirectional controls (mail subjects cannot isolate)."""
    return _BIDI.sub("", str(value))
