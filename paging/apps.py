from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagingConfig(AppConfig):
    name = "paging"
    verbose_name = _("Paging and escalation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents.events import register_batch_handler
        from incidents.roles import MANAGERS, RESPONDERS, grant
        from incidents.selectors import register_timeline_source
        from paging.engagement import engage_events
        from paging.selectors import escalation_timeline, page_rows, page_timeline

        register_batch_handler(engage_events)
        register_timeline_source(page_timeline, page_rows)
        register_timeline_source(escalation_timeline)
        grant(
            RESPONDERS,
            "paging.view_escalationpolicy",
            "paging.view_escalationstep",
            "paging.view_escalation",
            "paging.view_page",
        )
        grant(
            MANAGERS,
            *[
                f"paging.{action}_{model}"
                for model in ("escalationpolicy", "escalationstep")
                for action in ("add", "change", "delete")
            ],
        )
