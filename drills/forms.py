"""The admin forms of drills: starting one, and its review."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from drills.models import Drill
from incidents.roles import MANAGERS, RESPONDERS
from itsm.forms import ModelMultipleChoiceField


def responders():
    """People who work incidents: the ones who can take part in a drill."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=[RESPONDERS, MANAGERS]) | Q(is_superuser=True))
        .filter(is_active=True)
        .distinct()
        .order_by("username")
    )


class DrillStartForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Response plan"), empty_label=_("(none)")
    )
    template = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Incident template"), empty_label=_("(none)")
    )
    participants = ModelMultipleChoiceField(
        queryset=None,
        label=_("Participants"),
        help_text=_("They are paged and notified about the practice incident; nobody else is."),
        widget=FilteredSelectMultiple(_("participants"), is_stacked=False),
    )
    end_user = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("End user taking part (optional)"),
        help_text=_(
            "Reports the practice incident and sees it, marked as practice, in the portal."
        ),
    )

    def __init__(self, *args, **kwargs):
        from preparedness.models import IncidentTemplate, ResponsePlan

        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = ResponsePlan.objects.filter(active=True)
        self.fields["template"].queryset = IncidentTemplate.objects.filter(active=True)
        self.fields["participants"].queryset = responders()
        self.fields["end_user"].queryset = get_user_model().objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        if bool(data.get("plan")) == bool(data.get("template")):
            raise forms.ValidationError(
                _("Choose either a response plan or an incident template, not both.")
            )
        return data


class DrillReviewForm(forms.ModelForm):
    class Meta:
        model = Drill
        fields = ["went_well", "to_change"]
        widgets = {
            "went_well": forms.Textarea(attrs={"rows": 4}),
            "to_change": forms.Textarea(attrs={"rows": 4}),
        }
