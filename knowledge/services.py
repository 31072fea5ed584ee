"""Every write to the knowledge base, whichever door asks (admin, portal, commands).

Keyword-only functions, each in one transaction; edits to articles keep history (who and
why) through `itsm.history`. Refusals raise `incidents.exceptions.DomainError` with a
message for the person who asked.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from incidents.choices import Status
from incidents.exceptions import DomainError
from itsm.history import save_with_history
from knowledge import reading
from knowledge.choices import ArticleStatus, Audience
from knowledge.models import Article, ArticleFeedback, ArticleViews, ReportAfterReading

EDITABLE_FIELDS = ("title", "body", "service", "category", "audience")
SLUG_LENGTH = 200


def _unique_slug(title: str) -> str:
    base = slugify(title)[:SLUG_LENGTH].strip("-") or "article"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the article a title."), field="title")
    return title


@transaction.atomic
def article_create(
    *,
    actor,
    title: str,
    body: str = "",
    service=None,
    category=None,
    audience: str = Audience.PUBLIC,
    source_incident=None,
    source_problem=None,
    reason: str = "",
) -> Article:
    """A new draft article with a slug made unique from its title. A slug taken by a
    concurrent save is retried with the next free one."""
    article = Article(
        title=_clean_title(title),
        body=body,
        service=service,
        category=category,
        audience=audience,
        created_by=actor,
        source_incident=source_incident,
        source_problem=source_problem,
    )
    for _attempt in range(3):
        article.slug = _unique_slug(article.title)
        try:
            with transaction.atomic():
                save_with_history(article, actor=actor, reason=reason or _("Created"))
            return article
        except IntegrityError:
            article.pk = None
    raise DomainError(_("Another article with this title was saved at the same moment."))


@transaction.atomic
def article_update(*, article: Article, actor, **values) -> Article:
    """Change the editable fields given (title, body, service, category, audience); the
    slug stays, so links already shared keep working."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    article = Article.objects.select_for_update().get(pk=article.pk)
    if "title" in values:
        values["title"] = _clean_title(values["title"])
    changed = [name for name, value in values.items() if getattr(article, name) != value]
    for name in changed:
        setattr(article, name, values[name])
    if changed:
        save_with_history(article, actor=actor, reason=_("Edited"), fields=[*changed, "updated_at"])
    return article


@transaction.atomic
def article_publish(*, article: Article, actor) -> Article:
    """Show the article in the portal (to its audience). The first publication date is
    kept when an article is withdrawn and published again."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.is_published:
        return article
    if not article.body.strip():
        raise DomainError(_("Write the article before publishing it."), field="body")
    article.status = ArticleStatus.PUBLISHED
    article.published_at = article.published_at or timezone.now()
    save_with_history(
        article,
        actor=actor,
        reason=_("Published"),
        fields=["status", "published_at", "updated_at"],
    )
    return article


@transaction.atomic
def article_unpublish(*, article: Article, actor) -> Article:
    """Withdraw the article from the portal; it stays in the admin as a draft."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.is_published:
        article.status = ArticleStatus.DRAFT
        save_with_history(
            article, actor=actor, reason=_("Withdrawn"), fields=["status", "updated_at"]
        )
    return article


def _incident_body(incident) -> str:
    symptoms = incident.public_description.strip() or incident.public_title
    solution = incident.resolution_notes.strip() or _("Describe what solved the problem.")
    parts = [f"## {_('Symptoms')}", symptoms, f"## {_('Solution')}", solution]
    if incident.resolution_code_id:
        label = _("Resolution: %(code)s") % {"code": incident.resolution_code.name}
        parts.append(f"*{label}*")
    return "\n\n".join(parts)


def article_from_incident(*, incident, actor) -> Article:
    """A draft from a resolved (or closed) incident: its public title, what the reporter
    saw (public description) as symptoms, and the resolution notes and code as the
    solution. Confidential incidents are refused: none of their content may leave them."""
    if incident.confidential:
        raise DomainError(
            _("%(number)s is confidential: write the article without it.")
            % {"number": incident.number}
        )
    if incident.status not in (Status.RESOLVED, Status.CLOSED):
        raise DomainError(
            _("%(number)s is not resolved yet: start an article once it is.")
            % {"number": incident.number}
        )
    return article_create(
        actor=actor,
        title=incident.public_title,
        body=_incident_body(incident),
        service=incident.service,
        category=incident.category,
        source_incident=incident,
        reason=_("Started from %(number)s") % {"number": incident.number},
    )


def article_from_problem(*, problem, actor) -> Article:
    """A draft from a problem's workaround (Markdown, already written for end users of
    the service); the problem's internal notes (description, root cause) stay out."""
    if not problem.workaround.strip():
        raise DomainError(
            _("%(number)s has no workaround to start an article from.") % {"number": problem.number}
        )
    return article_create(
        actor=actor,
        title=problem.title,
        body=f"## {_('Workaround')}\n\n{problem.workaround.strip()}",
        service=problem.service,
        source_problem=problem,
        reason=_("Started from %(number)s") % {"number": problem.number},
    )


def article_record_view(*, article: Article, session) -> bool:
    """Remember the read in the session; count a view when it starts a visit. True when
    counted."""
    if not reading.remember_read(session, article.pk):
        return False
    day = timezone.localdate()
    updated = ArticleViews.objects.filter(article=article, day=day).update(views=F("views") + 1)
    if not updated:
        try:
            with transaction.atomic():
                ArticleViews.objects.create(article=article, day=day, views=1)
        except IntegrityError:  # another reader created the row first
            ArticleViews.objects.filter(article=article, day=day).update(views=F("views") + 1)
    return True


def article_record_feedback(*, article: Article, helpful: bool, session) -> ArticleFeedback:
    """Count one answer to "Did this solve your problem?"; a session answers once per
    article (the unique voter makes a second answer at the same moment fail too)."""
    refusal = DomainError(_("You have already answered for this article. Thank you!"))
    if reading.has_answered(session, article.pk):
        raise refusal
    try:
        with transaction.atomic():
            answer = ArticleFeedback.objects.create(
                article=article, helpful=helpful, voter=reading.voter(session)
            )
    except IntegrityError:
        raise refusal from None
    reading.remember_answer(session, article.pk)
    return answer


def reports_after_reading(*, session, incident) -> int:
    """Count a report just filed against each article its reporter read within the last
    READ_WINDOW (they read it, and still reported). Returns how many were counted."""
    reads = reading.recent_reads(session)
    if not reads:  # most reporters read nothing first: no query to build
        return 0
    existing = set(Article.objects.filter(pk__in=reads).values_list("pk", flat=True))
    rows = [
        ReportAfterReading(article_id=pk, incident=incident, read_at=at)
        for pk, at in reads.items()
        if pk in existing
    ]
    ReportAfterReading.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
