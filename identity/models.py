"""Links between local accounts and identity-provider accounts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OidcIdentity(models.Model):
    """One provider account (issuer + subject) signed in as one local user.

    The subject, not the e-mail address, identifies a person at every sign-in after the
    first: addresses change and may be reused, the subject never is (OpenID Connect Core
    5.7). The e-mail address is used once, to adopt an existing account, and only when the
    provider says it has verified it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField()
    groups = models.JSONField(default=list, blank=True, help_text=_("Groups at the last sign-in."))

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
