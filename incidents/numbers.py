"""The incident number's format, in one place: "INC" and seven digits (more once the
counter passes 9,999,999). Services draw numbers with it, the workspace's search reads a
typed one with it, and e-mail intake finds it in subjects and Message-IDs."""

import re

PREFIX = "INC"
# A number as stored and as written in mail subjects and Message-IDs.
PATTERN = rf"{PREFIX}\d{{7,9}}"
# What a person types: any case, leading zeros optional ("inc42").
_TYPED = re.compile(rf"{PREFIX}0*(\d{{1,7}})", re.IGNORECASE)


def format_number(value: int) -> str:
    """The number for counter value `value` (1001 -> "INC0001001")."""
    return f"{PREFIX}{value:07d}"


def number_typed(text: str) -> str | None:
    """The stored form of a number someone typed ("inc42" -> "INC0000042"), else None."""
    match = _TYPED.fullmatch(text.strip())
    return format_number(int(match.group(1))) if match else None
