"""Form fields every form of the project should use instead of Django's own."""

from django import forms
from django.core.exceptions import ValidationError


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field with a posted number past any id treated as an invalid choice:
    SQLite cannot bind one (OverflowError, a 500); PostgreSQL just finds nothing."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": "?"}
            ) from None
