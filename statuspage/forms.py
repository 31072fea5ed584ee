from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.models import Service
from itsm.forms import ModelMultipleChoiceField


class SubscribeForm(forms.Form):
    """An address and what to hear about: every service, or the ones ticked."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    all_services = forms.BooleanField(label=_("All services"), required=False, initial=True)
    services = ModelMultipleChoiceField(
        label=_("Or only these services"),
        queryset=Service.objects.filter(active=True).only("name").order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not data.get("all_services") and not data.get("services"):
            raise forms.ValidationError(_("Choose all services or at least one service."))
        return data
