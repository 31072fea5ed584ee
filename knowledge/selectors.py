"""Reads of the knowledge base: what a person may read, suggestions while a report is
typed, and the figures of the reports page. Every read for people goes through
`Article.objects.visible_to` (knowledge.querysets)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from incidents.models import Service
from knowledge import search
from knowledge.models import Article, ArticleFeedback, ArticleViews, ReportAfterReading

SUGGESTED = 3
LIST_FIELDS = (
    "title",
    "slug",
    "audience",
    "status",
    "published_at",
    "updated_at",
    "service__name",
    "service__slug",
)


def readable_articles(user) -> QuerySet:
    """Articles `user` may read, with their service, in title order."""
    return (
        Article.objects.visible_to(user)
        .select_related("service")
        .only(*LIST_FIELDS)
        .order_by("title", "pk")
    )


def article_list(user, *, service: Service | None = None, text: str = "") -> QuerySet:
    """The portal's list: readable articles, of one service when given, matching `text`
    (best first) when given."""
    articles = readable_articles(user)
    if service is not None:
        articles = articles.filter(service=service)
    if text.strip():
        return search.ranked(articles, text)
    return articles


def services_with_articles(user) -> list[Service]:
    """Active services with how many articles `user` may read about each (`article_total`),
    those without any left out. One query."""
    readable = Article.objects.visible_to(user).values("pk")
    return list(
        Service.objects.filter(active=True)
        .annotate(article_total=Count("articles", filter=Q(articles__in=readable)))
        .filter(article_total__gt=0)
        .only("name", "slug")
        .order_by("name")
    )


def article_for(user, slug: str) -> Article:
    """The article if `user` may read it, else 404 (a staff-only or draft article is not
    even confirmed to exist)."""
    article = (
        Article.objects.visible_to(user)
        .select_related("service", "category", "category__parent")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404("No such article.")
    return article


def suggested_articles(user, text: str, *, limit: int = SUGGESTED) -> list[Article]:
    """Up to `limit` readable articles that sound like `text` (a report title being
    typed): those with all the words or a resembling title first, then those with any of
    the words. One query; none for text without a word."""
    if not search.words_in(text):
        return []
    return list(search.suggested(readable_articles(user), text)[:limit])


@dataclass(frozen=True)
class ArticleFigures:
    """What one article did in a date range. `deflection_pct`: of the visits, the share not
    followed by a report within the reading window; `helpful_pct`: of the answers, "yes"."""

    article: Article
    views: int
    yes: int
    no: int
    reports: int

    @property
    def deflection_pct(self) -> float | None:
        if not self.views:
            return None
        return round(100.0 * max(self.views - self.reports, 0) / self.views, 1)

    @property
    def helpful_pct(self) -> float | None:
        answers = self.yes + self.no
        return round(100.0 * self.yes / answers, 1) if answers else None

    def as_dict(self) -> dict:
        return {
            "article": self.article.pk,
            "slug": self.article.slug,
            "title": self.article.title,
            "views": self.views,
            "yes": self.yes,
            "no": self.no,
            "reports_after_reading": self.reports,
            "deflection_pct": self.deflection_pct,
            "helpful_pct": self.helpful_pct,
        }


def _count(queryset: QuerySet, expression) -> Coalesce:
    rows = queryset.filter(article=OuterRef("pk")).order_by().values("article")
    return Coalesce(
        Subquery(rows.annotate(total=expression).values("total")[:1]),
        0,
        output_field=IntegerField(),
    )


def article_figures(*, start: date, end: date) -> list[ArticleFigures]:
    """Per article with any activity from `start` to `end` (inclusive): views, yes, no and
    reports filed after reading; the best deflectors first. One query."""
    views = ArticleViews.objects.filter(day__range=(start, end))
    answers = ArticleFeedback.objects.filter(created_at__date__range=(start, end))
    reports = ReportAfterReading.objects.filter(created_at__date__range=(start, end))
    articles = (
        Article.objects.annotate(
            n_views=_count(views, Sum("views")),
            n_yes=_count(answers.filter(helpful=True), Count("pk")),
            n_no=_count(answers.filter(helpful=False), Count("pk")),
            n_reports=_count(reports, Count("pk")),
        )
        .filter(Q(n_views__gt=0) | Q(n_yes__gt=0) | Q(n_no__gt=0) | Q(n_reports__gt=0))
        .only("title", "slug")
    )
    rows = [
        ArticleFigures(a, int(a.n_views), int(a.n_yes), int(a.n_no), int(a.n_reports))
        for a in articles
    ]
    return sorted(rows, key=lambda r: (-(r.deflection_pct or 0), -r.views, r.article.title))
