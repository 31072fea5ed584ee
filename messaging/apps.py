from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """Team chat channels and personal contact methods, sent through Apprise."""

    name = "messaging"
    verbose_name = _("Chat and push")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents.events import register_batch_handler
        from incidents.roles import MANAGERS, RESPONDERS, grant
        from messaging import guard
        from messaging.handlers import post_events

        guard.install()
        register_batch_handler(post_events)
        # Every responder keeps their own contact methods and rules (the admin and the API
        # limit them to their own rows) and may see which channels exist.
        grant(
            RESPONDERS,
            *[
                f"messaging.{action}_{model}"
                for model in ("contactmethod", "contactrule")
                for action in ("view", "add", "change", "delete")
            ],
            "messaging.view_teamchannel",
        )
        grant(
            MANAGERS,
            "messaging.add_teamchannel",
            "messaging.change_teamchannel",
            "messaging.delete_teamchannel",
            "messaging.view_channelmessage",
            "messaging.change_channelmessage",
        )
