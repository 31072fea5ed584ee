"""Admin of knowledge articles for responders: write (Markdown with a rendered preview),
publish or withdraw, history of edits; and the "Start a knowledge article" buttons of
resolved incidents and of problems (installed in KnowledgeConfig.ready)."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from incidents.exceptions import DomainError
from incidents.models import Incident
from itsm.admin_refusals import ServiceRefusalsAsMessages
from itsm.buttons import button_only_page
from knowledge import services
from knowledge.choices import STATUS_COLOURS
from knowledge.models import Article
from problems.markdown import render_markdown
from problems.models import Problem

ADD_PERMISSION = "knowledge.add_article"


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = list(services.EDITABLE_FIELDS)


@admin.action(description=gettext_lazy("Publish selected articles"), permissions=["change"])
def publish_articles(modeladmin, request, queryset):
    for article in queryset:
        try:
            services.article_publish(article=article, actor=request.user)
        except DomainError as error:
            modeladmin.message_user(request, f"{article}: {error.message}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, _("Published “%(title)s”.") % {"title": article}, messages.SUCCESS
            )


@admin.action(description=gettext_lazy("Withdraw selected articles"), permissions=["change"])
def withdraw_articles(modeladmin, request, queryset):
    for article in queryset:
        services.article_unpublish(article=article, actor=request.user)
    modeladmin.message_user(request, _("Withdrawn: they are drafts again."), messages.SUCCESS)


@admin.register(Article)
class ArticleAdmin(ServiceRefusalsAsMessages, SimpleHistoryAdmin):
    form = ArticleForm
    list_display = ["title", "status_badge", "audience", "service", "category", "updated_at"]
    list_filter = ["status", "audience", "service"]
    list_select_related = ["service", "category", "category__parent"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["service", "category"]
    actions = [publish_articles, withdraw_articles]
    show_full_result_count = False
    readonly_fields = [
        "slug",
        "status",
        "published_at",
        "created_by",
        "source_incident",
        "source_problem",
        "preview",
    ]
    fieldsets = [
        (None, {"fields": ["title", ("service", "category"), "audience", "body"]}),
        (gettext_lazy("Preview"), {"fields": ["preview"]}),
        (
            gettext_lazy("Publication"),
            {"fields": [("status", "published_at"), "slug", "created_by"]},
        ),
        (
            gettext_lazy("Started from"),
            {"fields": ["source_incident", "source_problem"], "classes": ["collapse"]},
        ),
    ]
    change_form_template = "knowledge/admin/article_change_form.html"

    def view_on_site(self, article):
        """Only a published article has a portal page; a draft's would be a 404."""
        return article.get_absolute_url() if article.is_published else None

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, article):
        return format_html(
            '<span style="color:#fff;background:{};padding:1px 6px;border-radius:8px">{}</span>',
            STATUS_COLOURS.get(article.status, "#4b5563"),
            article.get_status_display(),
        )

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, article):
        if not article.pk:
            return _("Save the draft to see the rendered article.")
        return format_html('<div class="kb-preview">{}</div>', render_markdown(article.body))

    def save_model(self, request, obj, form, change):
        """Delegates to the services; the form has validated the input."""
        values = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        if change:
            services.article_update(article=obj, actor=request.user, **values)
        else:
            created = services.article_create(actor=request.user, **values)
            obj.pk, obj.slug = created.pk, created.slug

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/publish/",
                wrap(self.publish_view),
                name="knowledge_article_publish",
            ),
            path(
                "from-incident/<int:object_id>/",
                wrap(self.from_incident_view),
                name="knowledge_article_from_incident",
            ),
            path(
                "from-problem/<int:object_id>/",
                wrap(self.from_problem_view),
                name="knowledge_article_from_problem",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request, object_id):
        """POST publish=1 publishes, publish=0 withdraws; back to the article. Like the
        admin's own pages, 404 for those who may not change articles."""
        if not self.has_change_permission(request):
            raise Http404
        article = get_object_or_404(Article, pk=object_id)
        if request.method != "POST":
            return button_only_page(
                request, back_url=article.get_admin_url(), back_label=_("Go back to the article")
            )
        try:
            if request.POST.get("publish") == "0":
                services.article_unpublish(article=article, actor=request.user)
                self.message_user(request, _("Withdrawn: the article is a draft again."))
            else:
                services.article_publish(article=article, actor=request.user)
                self.message_user(request, _("Published: the article is in the portal."))
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        return redirect(article.get_admin_url())

    def _check_may_write(self, request) -> None:
        """404, as the admin's own pages answer, for those who may not add articles."""
        if not request.user.has_perm(ADD_PERMISSION):
            raise Http404

    def _start(self, request, source, start, back_url):
        if request.method != "POST":
            return button_only_page(request, back_url=back_url, back_label=_("Go back"))
        try:
            article = start(request.user)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return redirect(back_url)
        self.message_user(
            request,
            _("Draft started from %(source)s: edit it, then publish it.")
            % {"source": source.number},
            messages.SUCCESS,
        )
        return redirect(article.get_admin_url())

    def from_incident_view(self, request, object_id):
        """POST: a draft from a resolved incident the viewer may see (not confidential)."""
        self._check_may_write(request)
        visible = Incident.objects.visible_to(request.user)
        incident = get_object_or_404(
            visible.select_related("resolution_code", "service"), pk=object_id
        )
        return self._start(
            request,
            incident,
            lambda actor: services.article_from_incident(incident=incident, actor=actor),
            incident.get_admin_url(),
        )

    def from_problem_view(self, request, object_id):
        """POST: a draft from a problem's workaround."""
        self._check_may_write(request)
        problem = get_object_or_404(Problem, pk=object_id)
        return self._start(
            request,
            problem,
            lambda actor: services.article_from_problem(problem=problem, actor=actor),
            problem.get_admin_url(),
        )
