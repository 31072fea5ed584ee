from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailIntakeConfig(AppConfig):
    """E-mail intake: messages piped in by the mail server (or fetched over IMAP) become
    incidents and comments through the incident services."""

    name = "email_intake"
    verbose_name = _("E-mail intake")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents.roles import RESPONDERS, grant

        grant(RESPONDERS, "email_intake.view_inboundmessage")
