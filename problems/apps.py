from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    """Problem management: root causes and known errors behind recurring incidents."""

    name = "problems"
    verbose_name = "Problems"
    default_auto_field = "django.db.models.BigAutoField"
