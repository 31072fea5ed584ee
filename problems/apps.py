from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    """Problem management: root causes and known errors behind recurring incidents, and
    runbooks shown on incidents."""

    name = "problems"
    verbose_name = _("Problems")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib import admin

        from incidents.cached import forget_when_changed
        from incidents.models import Category, Service
        from incidents.roles import MANAGERS, RESPONDERS, grant
        from incidents.selectors import register_timeline_source
        from problems.admin_actions import install_incident_action
        from problems.models import Runbook
        from problems.selectors import (
            forget_runbooks,
            problem_link_rows,
            problem_timeline_entries,
        )

        grant(
            RESPONDERS,
            "problems.view_problem",
            "problems.add_problem",
            "problems.change_problem",
            "problems.view_problemlink",
            "problems.delete_problemlink",
            "problems.view_runbook",
        )
        grant(
            MANAGERS,
            "problems.delete_problem",
            "problems.add_runbook",
            "problems.change_runbook",
            "problems.delete_runbook",
        )
        register_timeline_source(problem_timeline_entries, problem_link_rows)
        # The cached runbooks forget rows that changed, whichever door changed them.
        forget_when_changed(forget_runbooks, Runbook, Service, Category)
        # The admin site has imported every admin module by now (it is the first app).
        install_incident_action(admin.site)
