"""Admin forms: participants typed one username per line, in turn order."""

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.exceptions import DomainError
from oncall.models import Layer, Override
from oncall.services import users_named


def users_in_order(text: str) -> list:
    """The accounts named one per line (blank lines skipped), in the order given."""
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise forms.ValidationError(_("Name at least one participant."))
    try:
        return users_named(names)
    except DomainError as error:
        raise forms.ValidationError(error.message) from None


def _say_zone(form, names, zone_name: str) -> None:
    """Tell in which zone the times are typed: the schedule's (see ScheduleAdmin)."""
    where = f"the schedule's time zone, {zone_name}" if zone_name else "the schedule's time zone"
    for name in names:
        field = form.fields[name]
        field.help_text = f"{field.help_text} In {where}.".strip()


class LayerForm(forms.ModelForm):
    """A rotation layer with its participants as text, so the order is plain to see and
    to change."""

    participants = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 30}),
        help_text=_("One username per line, in turn order: the first line takes the first shift."),
    )

    class Meta:
        model = Layer
        fields = [
            "name",
            "position",
            "start",
            "shift_length",
            "shift_unit",
            "handoff_time",
            "end",
            "participants",
        ]

    def __init__(self, *args, zone_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        _say_zone(self, ("start", "end", "handoff_time"), zone_name)
        if self.instance.pk:
            members = self.instance.members.select_related("user").order_by("position")
            self.initial["participants"] = "\n".join(m.user.get_username() for m in members)

    def clean_participants(self) -> list:
        return users_in_order(self.cleaned_data["participants"])


class OverrideForm(forms.ModelForm):
    """An override with the person typed as a username (no user directory needed)."""

    user = forms.CharField(max_length=150, help_text=_("Username of the person covering."))

    class Meta:
        model = Override
        fields = ["user", "start", "end", "reason"]

    def __init__(self, *args, zone_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        _say_zone(self, ("start", "end"), zone_name)
        if self.instance.pk:
            self.initial["user"] = self.instance.user.get_username()

    def clean_user(self):
        return users_in_order(self.cleaned_data["user"])[0]
