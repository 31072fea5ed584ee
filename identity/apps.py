from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """Single sign-on (OpenID Connect) and two-factor sign-in for local staff accounts."""

    name = "identity"
    verbose_name = _("Sign-in")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from identity.middleware import note_second_factor_owed

        user_logged_in.connect(note_second_factor_owed, dispatch_uid="identity-second-factor")
