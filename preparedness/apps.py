from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreparednessConfig(AppConfig):
    """Being ready before it happens: response plans with first-response checklists,
    incident and message templates."""

    name = "preparedness"
    verbose_name = _("Preparedness")
    default_auto_field = "django.db.models.BigAutoField"
