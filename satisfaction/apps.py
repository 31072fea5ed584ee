from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    """Satisfaction ratings: the reporter of a resolved incident rates the fix (1 to 5)
    from a signed link in the resolved mail or from the portal; staff see the rating on
    the incident, the averages in the reports, and a team lead hears of a low one."""

    name = "satisfaction"
    verbose_name = _("Satisfaction")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents.admin.presence import register_part
        from incidents.roles import MANAGERS, RESPONDERS, grant
        from notifications.recipients import register_kind
        from satisfaction.models import Rating
        from satisfaction.services import LOW_RATING_KIND

        register_kind(LOW_RATING_KIND, {"team_lead"}, label=_("Low satisfaction rating"))
        grant(RESPONDERS, "satisfaction.view_rating")
        grant(MANAGERS, "satisfaction.view_rating")
        register_part("has_rating", lambda incident: Rating.objects.filter(incident=incident))
