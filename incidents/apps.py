from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents import routing
        from incidents.defaults import ensure_defaults
        from incidents.models import RoutingRule, Team
        from incidents.roles import sync_role_permissions

        # Default rules come back after a flush; roles get permissions of every app (which
        # exist only once that app's post_migrate ran), so this runs for each sender.
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="incidents-defaults")
        post_migrate.connect(sync_role_permissions, dispatch_uid="incidents-role-permissions")
        # Not a business side effect: the routing cache forgets rules and teams that
        # changed, whichever door (admin, shell, cascade) changed them.
        for model in (RoutingRule, Team):
            for signal in (post_save, post_delete):
                signal.connect(routing.forget, sender=model, dispatch_uid=f"routing-{model}")
