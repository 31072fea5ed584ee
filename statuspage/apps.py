from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatuspageConfig(AppConfig):
    name = "statuspage"
    verbose_name = _("Status page")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents.events import register_batch_handler
        from statuspage.handlers import on_incident_events

        register_batch_handler(on_incident_events)
