from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Service figures: the metrics (volumes, MTTA, MTTR, SLA compliance, reopens), the
    reports page of the workspace with its charts and CSV downloads, and the metrics API.
    It has no models: it reads incidents and their events."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from django.contrib import admin

        from reports.views import PERMISSION, reports_view

        admin.site.register_page(
            route="reports/",
            view=reports_view,
            name="reports",
            title=_("Reports"),
            permission=PERMISSION,
        )
