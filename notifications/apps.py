from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incidents.events import register_batch_handler
        from incidents.roles import MANAGERS, RESPONDERS, grant
        from incidents.selectors import register_timeline_source
        from notifications.handlers import notify_events
        from notifications.rules import ensure_default_rules
        from notifications.selectors import notification_rows, notification_timeline

        register_batch_handler(notify_events)
        register_timeline_source(notification_timeline, notification_rows)
        grant(
            RESPONDERS,
            "notifications.view_notification",
            "notifications.view_notificationrule",
            "notifications.view_notificationpreference",
        )
        grant(
            MANAGERS,
            "notifications.change_notificationrule",
            "notifications.change_notification",
        )
        post_migrate.connect(ensure_default_rules, sender=self, dispatch_uid="notification-rules")
