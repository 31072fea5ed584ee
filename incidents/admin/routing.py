"""Routing rules in the admin: managers add, change, reorder (position, in the list) and
delete them; responders may only look. Saving a rule makes `incidents.routing` forget its
cached rules (see `IncidentsConfig.ready`)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.admin.history import ManagerRevertHistoryAdmin
from incidents.models import RoutingRule
from incidents.models.routing import LABELS_EXAMPLE
from itsm.jsonbody import JSONFormField


class LabelsField(JSONFormField):
    """Bounded like every JSON the product decodes (depth, size, storable text)."""

    default_error_messages = {
        "invalid": "Enter the labels as a JSON object, e.g. " + LABELS_EXAMPLE + ".",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "cols": 60}))
        super().__init__(**kwargs)

    def to_python(self, value):
        # An emptied box means "no label condition", not an invalid JSON document.
        if value in (None, "") or str(value).strip() == "":
            return {}
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class RoutingRuleForm(forms.ModelForm):
    """The model's `clean` checks the labels' shape and that some condition is set."""

    labels = LabelsField(required=False, help_text=RoutingRule._meta.get_field("labels").help_text)

    class Meta:
        model = RoutingRule
        fields = ["name", "position", "active", "service", "category", "channel", "labels"]
        fields += ["team"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(ManagerRevertHistoryAdmin):
    form = RoutingRuleForm
    list_display = ["position", "name", "conditions", "team", "active"]
    list_display_links = ["name"]
    list_editable = ["position", "active"]
    list_filter = ["active", "team"]
    list_select_related = ["service", "category__parent", "team"]
    search_fields = ["name", "team__name"]
    autocomplete_fields = ["service", "category", "team"]
    fieldsets = [
        (None, {"fields": ["name", "position", "active", "team"]}),
        (
            "Conditions (all that are set must hold; the first matching rule wins)",
            {"fields": ["service", "category", "channel", "labels"]},
        ),
    ]

    @admin.display(description=_("matches"))
    def conditions(self, rule: RoutingRule) -> str:
        parts = []
        if rule.service_id:
            parts.append(f"service {rule.service}")
        if rule.category_id:
            parts.append(f"category {rule.category}")
        if rule.channel:
            parts.append(f"channel {rule.get_channel_display()}")
        parts += [f"{name}={value}" for name, value in sorted((rule.labels or {}).items())]
        return ", ".join(parts)
