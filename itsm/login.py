"""The sign-in forms of the portal and the admin, with the username's length enforced
(and passwords kept for superusers when OIDC_ONLY is on).

Django's AuthenticationForm sets the username's max_length after the field is built, so
no validator checks it: any length reached authenticate(), and the lockout's failure
record (django-axes, a 255-character column) then failed on PostgreSQL with a 500. Here
the length is a field error, found before authentication is attempted.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _

from identity.selectors import password_sign_in_allowed


class BoundedUsernameMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))

    def confirm_login_allowed(self, user):
        """With OIDC_ONLY, passwords are for superusers only (identity.selectors)."""
        super().confirm_login_allowed(user)
        if not password_sign_in_allowed(user):
            raise ValidationError(
                _("This account signs in with single sign-on: use the button above."),
                code="sso_only",
            )


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    """The portal's sign-in form."""


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    """The responder workspace's sign-in form."""
