"""The portal's knowledge base: browse by service, search, read, answer "Did this solve
your problem?". Open to everyone; what each person sees is decided by
`Article.objects.visible_to`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents.exceptions import DomainError
from knowledge import ratelimit, reading, selectors, services
from knowledge.forms import ArticleSearchForm, FeedbackForm
from problems.markdown import render_markdown

PAGE_SIZE = 20


def article_index(request):
    """Services with articles, and the articles of the chosen service or search."""
    form = ArticleSearchForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    articles = selectors.article_list(
        request.user, service=data.get("service"), text=data.get("q") or ""
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page if valid else None,
        "services": selectors.services_with_articles(request.user),
        "chosen": data.get("service"),
        "searching": bool((data.get("q") or "").strip()),
        "query": _query_without_page(request),
    }
    return render(request, "knowledge/index.html", context, status=200 if valid else 400)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def article_detail(request, slug):
    """The article; opening it counts a view once per visit and remembers the read."""
    article = selectors.article_for(request.user, slug)
    services.article_record_view(article=article, session=request.session)
    return _render_article(request, article, FeedbackForm())


def _render_article(request, article, form, status=200):
    context = {
        "article": article,
        "body": render_markdown(article.body),
        "form": form,
        "answered": reading.has_answered(request.session, article.pk),
    }
    return render(request, "knowledge/article.html", context, status=status)


@require_POST
def article_feedback(request, slug):
    """POST helpful=yes|no: one answer per session and article, limited per client."""
    article = selectors.article_for(request.user, slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _render_article(request, article, form, status=400)
    if not ratelimit.feedback_allowed(request):
        form.add_error(None, _("Too many answers from your network. Please try again later."))
        return _render_article(request, article, form, status=429)
    try:
        services.article_record_feedback(
            article=article, helpful=form.is_helpful, session=request.session
        )
    except DomainError as error:
        messages.info(request, error.message)
    else:
        ratelimit.count_feedback(request)
        messages.success(request, _("Thank you for your answer."))
    return redirect(f"{article.get_absolute_url()}#feedback")
