from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Post-incident reviews and their action items."""

    name = "reviews"
    verbose_name = "Post-incident reviews"
    default_auto_field = "django.db.models.BigAutoField"
