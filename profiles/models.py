"""A person's language and time zone, read on every request and for every e-mail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oncall.models import validate_time_zone


def language_choices() -> list[tuple[str, str]]:
    """Each language named in itself, after "as my browser asks" (blank)."""
    return [("", _("As my browser asks")), *settings.LANGUAGES]


class UserProfile(models.Model):
    """Language and time zone a person reads in; blank means "the default" (the browser's
    Accept-Language, then LANGUAGE_CODE; TIME_ZONE). Created on demand (profiles.services)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=language_choices,
        help_text=_("Pages and e-mails are written in this language."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Dates and times are shown in this zone, e.g. Europe/Berlin."),
    )

    class Meta:
        verbose_name = _("personal preferences")
        verbose_name_plural = _("personal preferences")

    def __str__(self) -> str:
        return str(self.user)
