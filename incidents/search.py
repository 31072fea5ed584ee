"""Finding incidents by what people type: one rule for the workspace list, the portal's
"already known" offer and the API's `search` filter.

A number (INC0001234, inc1234) is an exact match on the unique number index and nothing
else, so it stays instant whatever the backlog. Other text is cut into words: letters and
digits, hyphens dropped first ("Wi-Fi", "wi-fi" and "wifi" are one word), everything else
(quotes, `&|!:*`, brackets) a separator, so no input can reach a query's syntax.

On PostgreSQL an incident matches when
- full text: each word, stemmed in English and as a prefix, is in its title or description
  ("printer" finds "printers", "print" finds "printing"), or
- trigram: the words closely resemble words of its title (typos: "vpn gatway").
Both are answered by indexes (migration `0008_search_indexes`): a GIN index on the stored
vector `DOCUMENT` reads, and a trigram GIN index on `TITLE`, whose SQL here must stay the
same as the indexed expression, or PostgreSQL reads every row instead.

On SQLite (the embedded default) each word must be contained in the title or the
description, lowercased and without hyphens, with a plural "s" dropped: no index, but the
same answers for the usual cases.
"""

import re

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    FloatField,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Lower, Replace
from django.db.models.lookups import Contains

from incidents.numbers import number_typed

_WORD = re.compile(r"[^\W_]+")
# Enough for any real query; more words only make the query slower, never better.
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
# What matches nothing: Django turns an empty `pk__in` into no query at all.
NOTHING = Q(pk__in=[])


class _Document(Func):
    """The `search_document` column (PostgreSQL only, migration 0008: a stored vector of
    the title and description). The model does not declare it, so it is the title's
    column reference with the column renamed: right under whatever alias the table has."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        title, params = compiler.compile(self.get_source_expressions()[0])
        column = connection.ops.quote_name("title")
        return title[: -len(column)] + connection.ops.quote_name("search_document"), params


class _Title(Func):
    template = "replace(%(expressions)s, '-', '')"
    output_field = TextField()


def DOCUMENT() -> Func:  # noqa: N802 - a named SQL expression, like the column it reads
    """The title and description as one English text-search vector, hyphens dropped."""
    return _Document("title")


def TITLE() -> Func:  # noqa: N802
    """The title with hyphens dropped, what the trigram index holds."""
    return _Title("title")


class _Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


class _Resembles(Func):
    # `title %> text`: the words of the text resemble words of the title at least as much
    # as pg_trgm.word_similarity_threshold (0.6). Written with the indexed column on the
    # left, the form the trigram operator class answers.
    template = "%(expressions)s"
    arg_joiner = " %%> "
    output_field = BooleanField()


class _WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


class _Rank(Func):
    function = "ts_rank"
    output_field = FloatField()


def _ts_query(words: list[str], joiner: str) -> Func:
    # Words are letters and digits only, so joining them cannot form query syntax.
    text = joiner.join(f"{word}:*" for word in words)
    return Func(Value(text), template="to_tsquery('english'::regconfig, %(expressions)s)")


def words_in(text: str) -> list[str]:
    """The words searched for: lowercased, hyphens dropped, at most MAX_WORDS."""
    found = _WORD.findall(text.replace("-", "").lower())
    return [word[:MAX_WORD_LENGTH] for word in found[:MAX_WORDS]]


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def text_matches(text: str, *, any_word: bool = False, body: str = "description") -> Q:
    """Incidents whose title or description has the words of `text` (every word, or with
    `any_word` at least one). Text without a single word matches nothing. Another model
    with a `title`, a stored `search_document` built the same way and a text field `body`
    (knowledge articles) is searched by the same rule."""
    words = words_in(text)
    if not words:
        return NOTHING
    if _postgresql():
        found = _Matches(DOCUMENT(), _ts_query(words, " | " if any_word else " & "))
        return Q(found) | Q(_Resembles(TITLE(), Value(" ".join(words))))
    conditions = [_contained(word, body) for word in words]
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = (combined | condition) if any_word else (combined & condition)
    return combined


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _contained(word: str, body: str) -> Q:
    stem = _stem(word)
    return Q(Contains(_plain("title"), stem)) | Q(Contains(_plain(body), stem))


def _plain(field: str) -> Func:
    return Replace(Lower(field), Value("-"), Value(""), output_field=TextField())


def _words_found(words: list[str], body: str) -> Func:
    scores = [
        Case(
            When(Q(Contains(_plain("title"), _stem(word))), then=Value(2)),
            When(Q(Contains(_plain(body), _stem(word))), then=Value(1)),
            default=Value(0),
        )
        for word in words
    ]
    return sum(scores[1:], scores[0])


def incident_search(queryset: QuerySet, text: str, *, any_word: bool = False) -> QuerySet:
    """`queryset` narrowed to what `text` finds: the incident it numbers, or the ones whose
    words match (see `text_matches`). Empty text narrows nothing."""
    if not text.strip():
        return queryset
    number = number_typed(text)
    if number:
        return queryset.filter(number=number)
    return queryset.filter(text_matches(text, any_word=any_word))


def by_relevance(
    queryset: QuerySet, text: str, *ordering: str, body: str = "description"
) -> QuerySet:
    """Best matches first, then `ordering`. On PostgreSQL: the more of the words the title
    and description have, and the closer the title resembles them, the better; on SQLite,
    a word in the title counts twice, one in the description once. Computed for every row
    of `queryset`, so give it few rows. `body` as in `text_matches`."""
    words = words_in(text)
    if not words:
        return queryset.order_by(*ordering)
    if not _postgresql():
        return queryset.annotate(relevance=_words_found(words, body)).order_by(
            "-relevance", *ordering
        )
    relevance = _Rank(DOCUMENT(), _ts_query(words, " | ")) + _WordSimilarity(
        Value(" ".join(words)), TITLE()
    )
    return queryset.annotate(relevance=relevance).order_by("-relevance", *ordering)
