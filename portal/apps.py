from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Self-service portal"

    def ready(self):
        from incidents.events import register_batch_handler
        from portal.views.status import status_changed

        # Any incident event may change a service's state: the status page recomputes.
        register_batch_handler(status_changed)
