"""Knowledge articles and what is counted about them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from itsm.text import isolate
from knowledge.choices import ArticleStatus, Audience
from knowledge.querysets import ArticleQuerySet


class Article(models.Model):
    """A how-to or known fix, in Markdown (rendered sanitised by problems.markdown).

    Written through `knowledge.services`, which keep history and the publication date. On
    PostgreSQL the search column `search_document` is generated from `title` and `body`
    (migration 0002_search_indexes, the same shape as incidents'): see there before
    changing their types.
    """

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    body = models.TextField(_("body"), help_text=_("Markdown: symptoms, cause, what to do."))
    service = models.ForeignKey(
        "incidents.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("service"),
    )
    category = models.ForeignKey(
        "incidents.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("category"),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    source_incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started from incident"),
    )
    source_problem = models.ForeignKey(
        "problems.Problem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started from problem"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "audience", "title"], name="article_published"),
        ]

    def __str__(self):
        return isolate(self.title)

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", args=[self.slug])

    def get_admin_url(self) -> str:
        return reverse("admin:knowledge_article_change", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class ArticleViews(models.Model):
    """How many sessions opened an article on one day (a reader counts once per visit, see
    `knowledge.reading`). One row per article and day, incremented in place."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="article_views_day_unique")
        ]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.views}"


class ArticleFeedback(models.Model):
    """One answer to "Did this solve your problem?". `voter` is a digest of the session,
    so that one session answers once per article without anyone needing an account."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    voter = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "voter"], name="article_feedback_once")
        ]

    def __str__(self):
        return f"{self.article_id}: {'yes' if self.helpful else 'no'}"


class ReportAfterReading(models.Model):
    """A report filed in the portal soon after its reporter read an article: the article
    did not deflect it. One row per article and incident."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="reports_after_reading"
    )
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "incident"], name="report_after_reading_unique"
            )
        ]

    def __str__(self):
        return f"{self.article_id} -> {self.incident_id}"
