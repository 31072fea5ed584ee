"""The preferences form: language and time zone, checked like the model checks them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oncall.models import validate_time_zone
from profiles.models import UserProfile


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = UserProfile
        fields = ["language", "time_zone"]
        labels = {"language": _("Language"), "time_zone": _("Time zone")}

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"].strip()
        if value:
            validate_time_zone(value)
        return value
