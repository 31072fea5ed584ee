from django.apps import AppConfig


class PreparednessConfig(AppConfig):
    """Being ready before it happens: response plans with first-response checklists,
    incident and message templates."""

    name = "preparedness"
    verbose_name = "Preparedness"
    default_auto_field = "django.db.models.BigAutoField"
