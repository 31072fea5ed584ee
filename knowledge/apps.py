from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """The knowledge base: articles responders write (from scratch, from a resolved
    incident or from a problem's workaround), read in the portal, suggested while a report
    is typed, and counted: views, "did this solve your problem?" answers, and reports filed
    right after reading."""

    name = "knowledge"
    verbose_name = _("Knowledge base")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib import admin

        from incidents.roles import MANAGERS, RESPONDERS, grant
        from problems.models import Problem

        grant(
            RESPONDERS,
            "knowledge.view_article",
            "knowledge.add_article",
            "knowledge.change_article",
        )
        grant(MANAGERS, "knowledge.delete_article")
        # The problem page gets its "Start a knowledge article" button (the admin site has
        # imported every admin module by now); a problem admin with its own page keeps it.
        problem_admin = admin.site._registry.get(Problem)
        if problem_admin is not None and not problem_admin.change_form_template:
            problem_admin.change_form_template = "knowledge/admin/problem_change_form.html"
