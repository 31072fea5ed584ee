from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Learning from incidents: post-incident reviews and their action items."""

    name = "reviews"
    verbose_name = _("Post-incident reviews")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents.events import register_handler
        from incidents.roles import MANAGERS, RESPONDERS, grant
        from reviews.handlers import open_review_for_major_incident

        grant(
            RESPONDERS,
            *[
                f"reviews.{action}_{model}"
                for model in ("postincidentreview", "timelineitem", "actionitem")
                for action in ("view", "add", "change")
            ],
            "reviews.delete_timelineitem",
            "reviews.delete_actionitem",
        )
        grant(MANAGERS, "reviews.publish_postincidentreview", "reviews.delete_postincidentreview")
        register_handler(open_review_for_major_incident)
