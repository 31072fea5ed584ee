from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API channel (DRF): tokens, endpoints, outgoing webhooks."""

    name = "api"
    verbose_name = "REST API"
    default_auto_field = "django.db.models.BigAutoField"
