"""Admin forms. A stored URL or target is never put back into a page: its input is a
password field that renders empty, and left blank it keeps what is stored."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incidents.choices import Priority
from messaging import apprise_urls
from messaging.models import ContactKind, ContactMethod, ContactRule, TeamChannel

KEEP_HELP = "Stored encrypted and never shown again; leave blank to keep the stored one."


def validate_target(kind: str, target: str) -> str:
    """The one rule for a contact target: an e-mail address for e-mail, else an Apprise
    URL Apprise understands (checked like channel URLs)."""
    if kind == ContactKind.EMAIL:
        target = forms.EmailField().clean(target)
        return target
    return apprise_urls.validate_url(target)


class _SecretForm(forms.ModelForm):
    """A model form whose `write_only_field` is write-only."""

    write_only_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(self.write_only_field)
        if field is not None:
            field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})
            field.required = not self.instance.pk
            field.help_text = f"{field.help_text} {KEEP_HELP}".strip()

    def _clean_secret(self, validate) -> str:
        value = (self.cleaned_data.get(self.write_only_field) or "").strip()
        if not value:
            if self.instance.pk:
                return getattr(self.instance, self.write_only_field)
            raise ValidationError(_("This field is required."), code="required")
        return validate(value)


class TeamChannelForm(_SecretForm):
    write_only_field = "url"

    class Meta:
        model = TeamChannel
        fields = [
            "team",
            "name",
            "url",
            "min_priority",
            "on_created",
            "on_escalated",
            "on_major_declared",
            "on_resolved",
            "active",
        ]

    def clean_url(self) -> str:
        return self._clean_secret(apprise_urls.validate_url)


class ContactMethodForm(_SecretForm):
    write_only_field = "target"

    class Meta:
        model = ContactMethod
        fields = ["kind", "label", "target", "active"]

    def clean(self):
        cleaned = super().clean()
        kind, target = cleaned.get("kind"), cleaned.get("target")
        if kind and target and self.data.get("target", "").strip():
            try:
                cleaned["target"] = validate_target(kind, target)
            except ValidationError as error:
                self.add_error("target", error)
        elif kind and target is not None and self.instance.pk and kind != self.instance.kind:
            self.add_error("target", _("Enter the target again when you change the kind."))
        return cleaned

    def clean_target(self) -> str:
        return self._clean_secret(lambda value: value)


class ContactRuleForm(forms.ModelForm):
    priorities = forms.MultipleChoiceField(
        choices=Priority.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every priority."),
    )

    class Meta:
        model = ContactRule
        fields = ["priorities", "contact_method", "delay_minutes"]
