from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreparednessConfig(AppConfig):
    """Being ready before it happens: response plans with first-response checklists,
    incident and message templates."""

    name = "preparedness"
    verbose_name = _("Preparedness")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib import admin

        from incidents.admin.presence import register_part
        from incidents.events import register_batch_handler
        from incidents.roles import MANAGERS, RESPONDERS, grant
        from incidents.selectors import register_timeline_source
        from preparedness.admin_incident import install_on_incident_admin
        from preparedness.engagement import on_incident_events
        from preparedness.models import IncidentTask
        from preparedness.selectors import task_history_rows, task_timeline_entries
        from preparedness.views import PERMISSION, preparedness_view

        plan_models = ("responseplan", "engagement", "communicationstep", "planstep")
        template_models = ("incidenttemplate", "templatestep", "messagetemplate")
        grant(
            RESPONDERS,
            *[f"preparedness.view_{model}" for model in plan_models + template_models],
            "preparedness.view_incidenttask",
            "preparedness.change_incidenttask",
        )
        grant(
            MANAGERS,
            *[
                f"preparedness.{action}_{model}"
                for model in plan_models + template_models
                for action in ("add", "change", "delete")
            ],
        )
        register_batch_handler(on_incident_events)
        register_timeline_source(task_timeline_entries, task_history_rows)
        register_part("has_tasks", lambda incident: IncidentTask.objects.filter(incident=incident))
        admin.site.register_page(
            route="readiness/",
            view=preparedness_view,
            name="preparedness",
            title="Preparedness",
            permission=PERMISSION,
        )
        # The admin site has imported every admin module by now (it is the first app).
        install_on_incident_admin(admin.site)
