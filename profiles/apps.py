from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("Personal preferences")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from profiles import signals
        from profiles.models import UserProfile

        user_logged_in.connect(signals.warm_at_sign_in, dispatch_uid="profiles-warm")
        for signal in (post_save, post_delete):
            uid = "profiles-forget"
            signal.connect(signals.forget_changed, sender=UserProfile, dispatch_uid=uid)
