"""Forms of the workspace. They validate input; the views hand it to `incidents.services`.

`IncidentChangeForm` carries the version the responder started from. When someone else
saved in between, it refuses with a conflict message naming their changes and rebases the
responder's own edits on the current version, so nothing typed is lost and nothing of the
other person's is overwritten when they save again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incidents.admin.users import assignable_users, user_label
from incidents.attachments import validate_upload
from incidents.choices import Channel
from incidents.exceptions import DomainError
from incidents.models import Attachment, Category, Comment, HoldReason, Incident, ResolutionCode
from incidents.numbers import number_typed
from incidents.services.editing import EDITABLE_FIELDS
from itsm.admin_input import show_held_choice

ASSIGNMENT_FIELDS = ("team", "assignee")
AUTOCOMPLETED = ("service", "category", "team", "assignee")
CONFLICT_SHOWN = (*EDITABLE_FIELDS, *ASSIGNMENT_FIELDS, "status")


def _value(obj, name: str):
    field = Incident._meta.get_field(name)
    return getattr(obj, field.attname)


def _shown(obj, name: str) -> str:
    field = Incident._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(getattr(obj, name), getattr(obj, name)))
    value = getattr(obj, name)
    if field.is_relation:
        return user_label(value) if name == "assignee" else str(value or "none")
    text = str(value)
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def _cleaned(value):
    return value.pk if hasattr(value, "pk") else value


class IncidentChangeForm(forms.ModelForm):
    """Edit description, classification and assignment of an existing incident."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Incident
        fields = [*EDITABLE_FIELDS, *ASSIGNMENT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version
        if "category" in self.fields:
            self.fields["category"].queryset = Category.objects.select_related("parent")
        for name in AUTOCOMPLETED:  # choices of every row: the page joined the selected ones
            show_held_choice(self, name)

    _unchanged_since_stale = False

    @property
    def edited_fields(self) -> list[str]:
        if self._unchanged_since_stale:
            return []
        return [name for name in self.changed_data if name in EDITABLE_FIELDS]

    @property
    def assignment_changed(self) -> bool:
        if self._unchanged_since_stale:
            return False
        return any(name in self.changed_data for name in ASSIGNMENT_FIELDS)

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if expected is not None and expected != self.instance.version:
            base = self.instance.history.filter(version=expected).order_by("-history_id").first()
            if self._my_edits(base):
                raise ValidationError(self._rebase(base), code="stale_version")
            # Only a comment or a file was added: nothing to merge, nothing to overwrite.
            self._unchanged_since_stale = True
        if self.assignment_changed:
            self._check_assignment(cleaned)
        return cleaned

    def _check_assignment(self, cleaned):
        current = self.instance
        if not current.is_open:
            raise ValidationError(_("Only open incidents can be reassigned."), code="not_open")
        if cleaned.get("team") is None and current.team_id:
            self.add_error("team", _("An incident keeps a team: choose another team instead."))
        same_team = _cleaned(cleaned.get("team")) == current.team_id
        if cleaned.get("assignee") is None and current.assignee_id and same_team:
            self.add_error(
                "assignee",
                _("Choose another person, or another team to hand it to that team's queue."),
            )

    def _my_edits(self, base) -> list[str]:
        """Fields this user changed from the version they started from."""
        return [
            name
            for name in (*EDITABLE_FIELDS, *ASSIGNMENT_FIELDS)
            if name in self.cleaned_data
            and (base is None or _cleaned(self.cleaned_data[name]) != _value(base, name))
        ]

    def _rebase(self, base) -> str:
        """Put the current values under the responder's own edits; explain the conflict."""
        current, mine = self.instance, self._my_edits(base)
        data = self.data.copy()
        for name in (*EDITABLE_FIELDS, *ASSIGNMENT_FIELDS):
            if name in self.fields and name not in mine:
                data[self.add_prefix(name)] = self.fields[name].prepare_value(_value(current, name))
        data[self.add_prefix("expected_version")] = current.version
        self.data = data
        return self._conflict_message(base, mine)

    def _conflict_message(self, base, mine: list[str]) -> str:
        current = self.instance
        latest = current.history.select_related("history_user").order_by("-history_id").first()
        who = user_label(latest.history_user) if latest and latest.history_user else "someone"
        theirs = [
            f"{Incident._meta.get_field(name).verbose_name}: {_shown(base, name)} → "
            f"{_shown(current, name)}"
            for name in CONFLICT_SHOWN
            if base is not None and _value(base, name) != _value(current, name)
        ]
        labels = [str(self.fields[name].label or name).lower() for name in mine]
        return (
            f"{who} saved {current.number} while you were editing it"
            + (f" ({'; '.join(theirs)})" if theirs else "")
            + ". Nothing of yours was saved. The form now shows their version"
            + (f" with your edits to {', '.join(labels)} kept" if labels else "")
            + ": check it and save again."
        )


class IncidentAddForm(forms.ModelForm):
    """Log an incident received by phone or e-mail on someone's behalf."""

    channel = forms.ChoiceField(
        choices=[(c, Channel(c).label) for c in (Channel.PHONE, Channel.EMAIL, Channel.ADMIN)],
        initial=Channel.PHONE,
        help_text=_("How the report reached the service desk."),
    )

    class Meta:
        model = Incident
        fields = ["title", "description", "reporter", "impact", "urgency", "service", "category"]
        fields += ["team", "assignee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            self.fields["category"].queryset = Category.objects.select_related("parent")
        if "reporter" in self.fields:
            self.fields["reporter"].required = True
            self.fields["reporter"].help_text = "The person who reported it."


class CommentInlineForm(forms.ModelForm):
    """A new public update or work note; saved by `incident_comment`."""

    kind = forms.ChoiceField(
        choices=[("work_note", "Work note (staff only)"), ("public", "Public update")],
        initial="work_note",
        widget=forms.RadioSelect,
        label=_("Kind"),
    )

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def has_changed(self):
        return bool((self.data.get(self.add_prefix("body")) or "").strip()) and not self.instance.pk


class AttachmentInlineForm(forms.ModelForm):
    """A new file; checked by the one upload validator, stored by `incident_attach`."""

    upload = forms.FileField(label=_("File"), required=False)

    class Meta:
        model = Attachment
        fields = ["public"]

    def has_changed(self):
        return bool(self.files.get(self.add_prefix("upload"))) and not self.instance.pk

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            try:
                validate_upload(upload)
            except DomainError as error:
                raise ValidationError(error.message) from error
        return upload


# --- Transitions and actions that need input (intermediate pages) -----------------------


class VersionedForm(forms.Form):
    """Carries the version shown on the change page, so a stale button press is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class HoldForm(VersionedForm):
    reason = forms.ModelChoiceField(
        queryset=HoldReason.objects.filter(active=True),
        help_text=_("Reasons that wait for the user stop the resolution clock."),
    )


class ResolveForm(VersionedForm):
    # The system's own codes (auto-resolved, duplicate) are not offered to people.
    resolution_code = forms.ModelChoiceField(queryset=ResolutionCode.choosable())
    resolution_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("What was done; the reporter reads this when asked to confirm."),
    )


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=2000
    )


class AssignForm(forms.Form):
    team = forms.ModelChoiceField(queryset=None, required=False)
    assignee = forms.ModelChoiceField(queryset=None, required=False, label=_("Person"))

    def __init__(self, *args, **kwargs):
        from incidents.models import Team

        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.all()
        self.fields["assignee"].queryset = assignable_users()
        self.fields["assignee"].label_from_instance = user_label

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("team") and not cleaned.get("assignee"):
            raise ValidationError(_("Choose a team, a person, or both."))
        return cleaned


class ParentForm(forms.Form):
    """The incident the selected ones become part of, by its number (the list of open
    incidents is too long for a menu)."""

    parent = forms.CharField(
        max_length=20,
        label=_("Parent incident"),
        help_text=_(
            "Its number, e.g. INC0001001. Whoever follows the children hears of it "
            "once it is a major incident."
        ),
    )

    def clean_parent(self) -> Incident:
        typed = self.cleaned_data["parent"]
        found = Incident.objects.filter(number=number_typed(typed) or typed).first()
        if found is None:
            raise forms.ValidationError(_("There is no incident %(number)s.") % {"number": typed})
        return found


class MergeForm(forms.Form):
    primary = forms.ModelChoiceField(
        queryset=Incident.objects.none(),
        widget=forms.RadioSelect,
        help_text=_("The others are closed as its duplicates; their reporters start watching it."),
    )

    def __init__(self, *args, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary"].queryset = incidents
