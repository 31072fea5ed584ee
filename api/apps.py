from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API channel (DRF): tokens, endpoints, outgoing webhooks."""

    name = "api"
    verbose_name = _("REST API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from api import schema  # noqa: F401 - registers the OpenAPI extensions
        from api.webhooks import on_incident_events
        from incidents.events import register_batch_handler
        from incidents.roles import MANAGERS, grant

        register_batch_handler(on_incident_events)
        grant(
            MANAGERS,
            *[f"api.{action}_webhookendpoint" for action in ("view", "add", "change", "delete")],
            "api.view_webhookdelivery",
            "api.change_webhookdelivery",
        )
