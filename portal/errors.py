"""The one place the portal turns a domain refusal into what the user sees."""

from django import forms
from django.contrib import messages

from incidents.exceptions import AttachmentRejected, DomainError

FILE_AGAIN = " Your other answers are kept; choose the file again."


def form_error(form: forms.Form, error: DomainError) -> None:
    """Show the refusal next to the field it concerns (or above the form)."""
    message = error.message
    if isinstance(error, AttachmentRejected):
        message += FILE_AGAIN
    field = error.field if error.field in form.fields else None
    form.add_error(field, message)


def message_error(request, error: DomainError) -> None:
    messages.error(request, error.message)
