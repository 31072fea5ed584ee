"""Cursor pagination: stable pages while incidents keep arriving, and no COUNT(*)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination

from incidents.models import Incident


class IncidentCursorPagination(CursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-opened_at"
    invalid_cursor_message = _(
        "This cursor is invalid; use the `next` or `previous` link as given."
    )

    def get_page_size(self, request):
        """A positive integer, at most max_page_size (larger asks get the maximum)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and raw.strip("0")):
            raise exceptions.ValidationError({"page_size": [_("Send a whole number from 1.")]})
        return self.max_page_size if len(raw) > 6 else min(int(raw), self.max_page_size)

    def decode_cursor(self, request):
        """A malformed or forged cursor is the client's mistake (400), never a 500 when
        its position does not fit the ordering field."""
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError({"cursor": [self.invalid_cursor_message]}) from None
        if cursor is not None and cursor.position is not None:
            field = Incident._meta.get_field(self.ordering[0].lstrip("-"))
            try:
                field.to_python(cursor.position)
            except DjangoValidationError:
                raise exceptions.ValidationError(
                    {"cursor": [self.invalid_cursor_message]}
                ) from None
        return cursor
