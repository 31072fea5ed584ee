"""Finding articles by what people type, by the same rule as incidents
(incidents/search.py): full text and trigram on PostgreSQL over the stored
`search_document` (migration 0002_search_indexes), containment on SQLite."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from incidents.search import by_relevance, text_matches, words_in

BODY = "body"
# Ranked per request: a common word must not make the ranking sort thousands of articles.
CANDIDATES = 200


def article_search(articles: QuerySet, text: str, *, any_word: bool = False) -> QuerySet:
    """`articles` narrowed to those having the words of `text` (all, or with `any_word`
    any) in title or body, or with a title resembling them. Empty text narrows nothing."""
    if not words_in(text):
        return articles if not text.strip() else articles.none()
    return articles.filter(text_matches(text, any_word=any_word, body=BODY))


def ranked(articles: QuerySet, text: str, *, any_word: bool = False) -> QuerySet:
    """The matches of `text` among `articles`, best first (see `by_relevance`)."""
    matches = article_search(articles, text, any_word=any_word)
    if not words_in(text):
        return matches
    candidates = articles.filter(pk__in=matches.values("pk")[:CANDIDATES])
    return by_relevance(candidates, text, "title", "pk", body=BODY)


def suggested(articles: QuerySet, text: str) -> QuerySet:
    """The matches of any word of `text` among `articles`, those with all the words (or a
    title resembling them) first, then by relevance: one query, ranking a bounded few."""
    matches = article_search(articles, text, any_word=True)
    if not words_in(text):
        return matches
    candidates = articles.filter(pk__in=matches.values("pk")[:CANDIDATES])
    close = Case(
        When(text_matches(text, body=BODY), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    ranking = by_relevance(candidates.annotate(close=close), text, body=BODY)
    return ranking.order_by("-close", "-relevance", "title", "pk")
