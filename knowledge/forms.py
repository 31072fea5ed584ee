"""Forms of the portal's knowledge pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.models import Service

MAX_QUERY = 200


class ArticleSearchForm(forms.Form):
    """Search words and a service (by slug); both optional."""

    q = forms.CharField(
        label=_("Search the knowledge base"),
        required=False,
        max_length=MAX_QUERY,
        error_messages={"max_length": _("Search with at most %(limit_value)d characters.")},
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.filter(active=True).only("name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("All services"),
    )


class FeedbackForm(forms.Form):
    """The answer to "Did this solve your problem?"."""

    helpful = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])

    @property
    def is_helpful(self) -> bool:
        return self.cleaned_data["helpful"] == "yes"
