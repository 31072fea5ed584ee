from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Self-service portal")

    def ready(self):
        from incidents.events import register_batch_handler
        from portal.views.status import status_changed

        # Any incident event may change a service's state: the status page recomputes.
        register_batch_handler(status_changed)
