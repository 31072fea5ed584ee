from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """Monitoring intake: Alertmanager and events API, de-duplicated into incidents."""

    name = "integrations"
    verbose_name = _("Monitoring integrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents.cached import forget_when_changed
        from incidents.roles import MANAGERS, RESPONDERS, grant
        from incidents.selectors import register_timeline_source
        from integrations.intake import forget_maintenance
        from integrations.models import Integration, MaintenanceWindow
        from integrations.selectors import alert_rows, alert_timeline, forget_token

        # The intake reads the windows and the integrations by token from the cache
        # (integrations.intake, integrations.selectors); a row saved or deleted by any
        # door is forgotten at once.
        forget_when_changed(forget_maintenance, MaintenanceWindow)
        forget_when_changed(forget_token, Integration)

        register_timeline_source(alert_timeline, alert_rows)
        grant(
            RESPONDERS,
            "integrations.view_alertgroup",
            "integrations.view_alert",
            "integrations.view_maintenancewindow",
        )
        grant(
            MANAGERS,
            "integrations.view_integration",
            "integrations.add_integration",
            "integrations.change_integration",
            "integrations.add_maintenancewindow",
            "integrations.change_maintenancewindow",
            "integrations.delete_maintenancewindow",
        )
