"""Portal forms: they check the shape of what a user typed; the domain services decide."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from incidents.attachments import ALLOWED, allowed_extensions, validate_upload
from incidents.catalog_cache import active_services
from incidents.choices import Level
from incidents.exceptions import AttachmentRejected
from incidents.models import Service
from portal.errors import FILE_AGAIN

NOT_SURE = "unsure"

IMPACT_CHOICES = [
    (Level.LOW, _("Only me")),
    (Level.MEDIUM, _("A few people (my team or a handful of colleagues)")),
    (Level.HIGH, _("Many people (a whole department, site or everyone)")),
]
URGENCY_CHOICES = [
    (Level.LOW, _("Not much: it is a nuisance, I can carry on")),
    (Level.MEDIUM, _("Partly: I can work, but slowly or with a workaround")),
    (Level.HIGH, _("Completely: I cannot do my work at all")),
]
ACCEPT = ",".join(sorted(ALLOWED))


class ServiceChoiceField(forms.ModelChoiceField):
    """Active services, plus "Not sure" (empty, or the value `unsure`) meaning no service."""

    def to_python(self, value):
        if value == NOT_SURE:
            return None
        if isinstance(value, str) and value.isascii() and value.isdigit():
            found = active_services().by_pk.get(int(value))
            if found is not None:
                return found  # from the cache: no query for the usual case
        return super().to_python(value)


def attachment_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        allow_empty_file=True,  # the domain validator explains an empty file better
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )


class UploadLimitsMixin:
    """States the attachment limits next to the file field (and gives them to the script
    that warns before a too-large file is sent)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.ITSM_ATTACHMENT_MAX_BYTES
        field = self.fields["attachment"]
        field.help_text = f"Up to {filesizeformat(limit)}. Accepted: {allowed_extensions()}."
        field.widget.attrs["data-max-bytes"] = str(limit)

    def clean_attachment(self):
        """Check the file with the domain's own validator here too, so a bad file is named
        next to its field even when another field is also wrong (the services still check
        it again when they store it)."""
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                validate_upload(upload)
            except AttachmentRejected as error:
                raise forms.ValidationError(error.message + FILE_AGAIN) from error
        return upload


class ReportForm(UploadLimitsMixin, forms.Form):
    title = forms.CharField(
        label=_("What is the problem?"),
        max_length=200,
        help_text=_("A short summary, for example “Cannot connect to the VPN”."),
        error_messages={"required": "Tell us in a few words what the problem is."},
    )
    description = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What were you doing, since when, and any error message you saw."),
    )
    service = ServiceChoiceField(
        label=_("Which service is affected?"),
        queryset=Service.objects.filter(active=True).only("name", "owner_team"),
        required=False,
        empty_label=_("Not sure"),
    )
    impact = forms.ChoiceField(
        label=_("How many people are affected?"),
        choices=IMPACT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us how many people are affected."},
    )
    urgency = forms.ChoiceField(
        label=_("How much does it stop your work?"),
        choices=URGENCY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us how much it stops your work."},
    )
    attachment = attachment_field("Attach a file (optional)")
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def uploads(self) -> list:
        upload = self.cleaned_data.get("attachment")
        return [upload] if upload else []


class CommentForm(UploadLimitsMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachment = attachment_field("Attach a file (optional)")

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("attachment"):
            raise forms.ValidationError(_("Write a comment or choose a file to add."))
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignupForm(UserCreationForm):
    """Self-registration (only when ITSM_ALLOW_SIGNUP is on). An e-mail address is required:
    acknowledgements and updates are sent there."""

    class Meta:
        model = get_user_model()
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["first_name"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this e-mail address already exists. "
                    "Sign in, or reset your password if you forgot it."
                )
            )
        return email
