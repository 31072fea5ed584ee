"""The incident number's format, in one place: "INC" and seven digits (more once the
counter passes 9,999,999). Services draw numbers with it, the workspace's search reads a
typed one with it, and e-mail intake finds it in subjects and Message-IDs."""

import re

from django.db import NotSupportedError
from django.db.models import CharField, Expression

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


# The PostgreSQL function (migration incidents 0012) that draws from `NumberSequence` and
# formats, so the INSERT of a new incident draws its own number: one round trip less per
# create, the same counter row locked until commit as `NumberSequence.draw`.
DRAW_FUNCTION = "itsm_draw_number"


class DrawnNumber(Expression):
    """The next number of counter `counter`, drawn by the INSERT that stores it (PostgreSQL
    only; the field reads it back with RETURNING)."""

    output_field = CharField()

    def __init__(self, counter: str, prefix: str = PREFIX):
        super().__init__()
        self.counter, self.prefix = counter, prefix

    def as_sql(self, compiler, connection):
        raise NotSupportedError("Numbers are drawn inside the INSERT on PostgreSQL only.")

    def as_postgresql(self, compiler, connection):
        return f"{DRAW_FUNCTION}(%s, %s)", [self.counter, self.prefix]
