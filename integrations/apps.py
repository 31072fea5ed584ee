from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Monitoring intake: Alertmanager and events API, de-duplicated into incidents."""

    name = "integrations"
    verbose_name = "Monitoring integrations"
    default_auto_field = "django.db.models.BigAutoField"
