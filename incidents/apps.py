from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents.roles import sync_role_permissions

        # Permissions exist only after migrate; grant the roles theirs every time it runs.
        post_migrate.connect(sync_role_permissions, dispatch_uid="incidents-role-permissions")
