from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OncallConfig(AppConfig):
    """On-call schedules (engagement): who of a team is on call when, its admin pages, API
    and iCalendar feeds."""

    name = "oncall"
    verbose_name = _("On-call schedules")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib import admin

        from incidents.roles import MANAGERS, RESPONDERS, grant
        from oncall.admin.now import PERMISSION, on_call_now_view

        models = ("schedule", "layer", "layermember", "override")
        grant(RESPONDERS, *[f"oncall.view_{model}" for model in models])
        grant(
            MANAGERS,
            *[
                f"oncall.{action}_{model}"
                for model in models
                for action in ("add", "change", "delete")
            ],
        )
        admin.site.register_page(
            route="oncall/now/",
            view=on_call_now_view,
            name="oncall_now",
            title=_("Who is on call now"),
            permission=PERMISSION,
        )
