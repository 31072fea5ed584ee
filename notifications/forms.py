"""The preferences form: opt out of non-essential updates, choose services to follow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.models import Service
from itsm.forms import ModelMultipleChoiceField


class PreferencesForm(forms.Form):
    receive_updates = forms.BooleanField(
        required=False,
        label=_("Send me updates"),
        help_text=_(
            "Progress on incidents I reported or follow, and major incidents on the "
            "services below. Without it you still get the acknowledgement of your own reports "
            "and the request to confirm a fix."
        ),
    )
    own_actions = forms.BooleanField(
        required=False,
        label=_("Also tell me about my own changes"),
        help_text=_(
            "E-mail me about incidents I report, update or resolve myself, as I would "
            "be told about anyone else's. Without it, what you do yourself is not e-mailed to "
            "you, except the acknowledgement of a report you file in the portal or by e-mail."
        ),
    )
    services = ModelMultipleChoiceField(
        queryset=Service.objects.filter(active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Follow these services"),
        help_text=_("You hear about major incidents on these services."),
    )
