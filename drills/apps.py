from django.apps import AppConfig


class DrillsConfig(AppConfig):
    """Practice drills: a practice incident run for real by the people taking part, kept
    out of every public place and every figure, ending with its own short review."""

    name = "drills"
    verbose_name = "Practice drills"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents.roles import MANAGERS, RESPONDERS, grant

        grant(RESPONDERS, "drills.view_drill")
        grant(MANAGERS, "drills.add_drill", "drills.change_drill")
